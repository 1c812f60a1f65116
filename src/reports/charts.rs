//! Charts as server-rendered SVG (no JavaScript chart library): a progress bar toward the goal,
//! horizontal bars (admitted over capacity), and an arrival histogram. Text is XML-escaped; words
//! are in the reader's language (the caller gives the bar charts' titles and labels). A label too
//! long for its column is shortened at a word boundary with "…"; its bar's `<title>` keeps the
//! full text (a tooltip on hover, and read by screen readers).

use std::fmt::Write;

use crate::domain::format::escape;

/// The most characters of a bar's label that fit its 230-unit column at 12 units.
const LABEL_CHARS: usize = 32;

/// `label` in at most `max` characters: whole if it fits, else cut at the last space that leaves
/// room for "…" (a single word longer than that is cut inside: nothing else fits), without a
/// dangling separator before the "…".
fn ellipsise(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_owned();
    }
    let room: String = label.chars().take(max.saturating_sub(1)).collect();
    let at_a_break = label
        .chars()
        .nth(room.chars().count())
        .is_some_and(char::is_whitespace);
    let cut = match room.rfind(char::is_whitespace) {
        _ if at_a_break => room.as_str(),
        Some(space) => &room[..space],
        None => room.as_str(),
    };
    let cut = cut.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—' | '(' | '·' | '/')
    });
    let cut = if cut.is_empty() { room.as_str() } else { cut };
    format!("{cut}…")
}

/// Progress toward the attendance goal.
pub fn progress(admitted: i64, goal: i64) -> String {
    let share = if goal > 0 {
        (admitted as f64 / goal as f64).min(1.0)
    } else {
        0.0
    };
    let width = 600.0;
    let filled = share * width;
    let percent = crate::i18n::numbers::percent(if goal > 0 {
        admitted as f64 / goal as f64
    } else {
        0.0
    });
    let label = escape(&crate::i18n::t3(
        "report-chart-progress",
        "admitted",
        admitted,
        "goal",
        goal,
        "percent",
        percent.as_str(),
    ));
    let (admitted, goal) = (
        crate::i18n::numbers::integer(admitted),
        crate::i18n::numbers::integer(goal),
    );
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 44" role="img" aria-label="{label}" class="chart"><rect x="0" y="8" width="{width}" height="28" rx="6" fill="#e6e6ee"/><rect x="0" y="8" width="{filled:.1}" height="28" rx="6" fill="#17663a"/><text x="10" y="27" font-size="15" font-weight="600" fill="#1b1b1f" paint-order="stroke" stroke="#ffffff" stroke-width="3">{admitted} / {goal} ({percent})</text></svg>"##
    )
}

/// One bar per item: capacity as the light bar, admitted as the dark one.
pub fn bars(title: &str, items: &[(String, i64, i64)]) -> String {
    let row = 26.0;
    let label_width = 230.0;
    let bar_width = 330.0;
    let height = 30.0 + row * items.len() as f64;
    let max = items
        .iter()
        .map(|(_, cap, adm)| (*cap).max(*adm))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 640 {height}" role="img" aria-label="{}" class="chart"><text x="0" y="16" font-size="14" font-weight="600">{}</text>"##,
        escape(title),
        escape(title)
    );
    for (i, (label, capacity, admitted)) in items.iter().enumerate() {
        let y = 26.0 + row * i as f64;
        let cap_w = *capacity as f64 / max * bar_width;
        let adm_w = *admitted as f64 / max * bar_width;
        let full = crate::i18n::t3(
            "report-chart-bar",
            "label",
            label.as_str(),
            "admitted",
            *admitted,
            "capacity",
            *capacity,
        );
        let _ = write!(
            svg,
            r##"<g><title>{}</title><text x="0" y="{ty}" font-size="12">{}</text><rect x="{label_width}" y="{y}" width="{cap_w:.1}" height="18" fill="#e6e6ee"/><rect x="{label_width}" y="{y}" width="{adm_w:.1}" height="18" fill="#8a1c2b"/><text x="{tx:.1}" y="{ty}" font-size="12">{admitted} / {capacity}</text></g>"##,
            escape(&full),
            escape(&ellipsise(label, LABEL_CHARS)),
            ty = y + 13.0,
            tx = label_width + cap_w.max(adm_w) + 6.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Admissions per bucket, as columns, with the start marked.
pub fn arrivals(buckets: &[(String, i64, i64)]) -> String {
    let width = 640.0;
    let height = 180.0;
    let n = buckets.len().max(1) as f64;
    let column = (width - 40.0) / n;
    let max = buckets.iter().map(|b| b.2).max().unwrap_or(0).max(1) as f64;
    let label = escape(&crate::i18n::t1(
        "report-chart-arrivals",
        "minutes",
        super::report::BUCKET_MINUTES,
    ));
    let start = escape(&crate::i18n::t("report-chart-start"));
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{label}" class="chart">"##
    );
    for (i, (label, minutes, count)) in buckets.iter().enumerate() {
        let x = 30.0 + column * i as f64;
        let h = *count as f64 / max * 130.0;
        let fill = if *minutes < 0 { "#8a1c2b" } else { "#c98a93" };
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}"><title>{} — {count}</title></rect>"##,
            escape(label),
            y = 150.0 - h,
            w = (column - 2.0).max(1.0),
        );
        if i % 3 == 0 {
            let _ = write!(
                svg,
                r##"<text x="{x:.1}" y="168" font-size="10">{}</text>"##,
                escape(label)
            );
        }
        if *minutes == 0 {
            let _ = write!(
                svg,
                r##"<line x1="{x:.1}" y1="10" x2="{x:.1}" y2="150" stroke="#1b1b1f" stroke-dasharray="4 3"/><text x="{tx:.1}" y="20" font-size="11">{start}</text>"##,
                tx = x + 3.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped() {
        let svg = bars("Films", &[("<script>".to_owned(), 10, 5)]);
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
    }

    #[test]
    fn long_labels_end_on_a_whole_word_and_keep_their_full_text_in_a_title() {
        for (label, shown) in [
            ("Red Rain", "Red Rain"),
            (
                "The Girl from the Other Side of the River",
                "The Girl from the Other Side of…",
            ),
            // A word ending right at the cut is kept whole.
            (
                "Once upon a time in the Mekong delta",
                "Once upon a time in the Mekong…",
            ),
            // No separator dangles before the ellipsis.
            (
                "Vietnam Film Week: Paris, Lyon, Marseille",
                "Vietnam Film Week: Paris, Lyon…",
            ),
            (
                "Cinéma Lumière, salle Henri-Langlois",
                "Cinéma Lumière, salle…",
            ),
            (
                "Mùa hè chiều thẳng đứng và những ngày dài",
                "Mùa hè chiều thẳng đứng và…",
            ),
            // One word longer than the room: nothing else fits.
            (
                "Supercalifragilisticexpialidocious!",
                "Supercalifragilisticexpialidoci…",
            ),
        ] {
            let cut = ellipsise(label, LABEL_CHARS);
            assert_eq!(cut, shown, "{label}");
            assert!(cut.chars().count() <= LABEL_CHARS, "{cut}");
        }
        let svg = bars(
            "Films",
            &[(
                "The Girl from the Other Side of the River".to_owned(),
                10,
                1,
            )],
        );
        assert!(
            svg.contains(
                "<title>The Girl from the Other Side of the River: 1 admitted of 10 seats</title>"
            ),
            "{svg}"
        );
        assert!(
            svg.contains(">The Girl from the Other Side of…</text>"),
            "{svg}"
        );
        // The tooltip's words agree with its numbers in each language.
        let french = crate::i18n::with(crate::i18n::Lang::Fr, || {
            bars(
                "Films",
                &[("Mưa đỏ".to_owned(), 1, 1), ("Red Rain".to_owned(), 10, 2)],
            )
        });
        assert!(
            french.contains("<title>Mưa đỏ\u{a0}: 1 entrée sur 1 place</title>")
                && french.contains("<title>Red Rain\u{a0}: 2 entrées sur 10 places</title>"),
            "{french}"
        );
    }

    #[test]
    fn progress_is_capped_at_the_goal() {
        assert!(progress(7000, 6000).contains("width=\"600.0\""));
        assert!(progress(0, 0).contains("0 / 0"));
    }
}
