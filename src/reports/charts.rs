//! Charts as server-rendered SVG (no JavaScript chart library): a progress bar toward the goal,
//! horizontal bars (admitted over capacity), and an arrival histogram. Text is XML-escaped; words
//! are in the reader's language (the caller gives the bar charts' titles and labels).

use std::fmt::Write;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
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
    let percent = if goal > 0 {
        admitted as f64 * 100.0 / goal as f64
    } else {
        0.0
    };
    let label = escape(&crate::i18n::t3(
        "report-chart-progress",
        "admitted",
        admitted,
        "goal",
        goal,
        "percent",
        format!("{percent:.1}%"),
    ));
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 44" role="img" aria-label="{label}" class="chart"><rect x="0" y="8" width="{width}" height="28" rx="6" fill="#e6e6ee"/><rect x="0" y="8" width="{filled:.1}" height="28" rx="6" fill="#17663a"/><text x="10" y="27" font-size="15" font-weight="600" fill="#1b1b1f" paint-order="stroke" stroke="#ffffff" stroke-width="3">{admitted} / {goal} ({percent:.1}%)</text></svg>"##
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
        let short: String = label.chars().take(32).collect();
        let _ = write!(
            svg,
            r##"<text x="0" y="{ty}" font-size="12">{}</text><rect x="{label_width}" y="{y}" width="{cap_w:.1}" height="18" fill="#e6e6ee"/><rect x="{label_width}" y="{y}" width="{adm_w:.1}" height="18" fill="#8a1c2b"/><text x="{tx:.1}" y="{ty}" font-size="12">{admitted} / {capacity}</text>"##,
            escape(&short),
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
    fn progress_is_capped_at_the_goal() {
        assert!(progress(7000, 6000).contains("width=\"600.0\""));
        assert!(progress(0, 0).contains("0 / 0"));
    }
}
