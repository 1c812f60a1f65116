//! Words to search people by, whatever their accents and case: "Le Thu" finds "Lê Thu Hà", "Tran"
//! finds "Trần", "Van Minh" finds "Nguyễn Văn Minh", in Vietnamese, French or any Latin script.
//!
//! A text becomes its words: lower case, split at anything that is not a letter or a digit,
//! letters decomposed (NFD) and their marks dropped — Vietnamese "đ", which carries no mark to
//! drop, becomes "d". A booking stores its holder's words (name and e-mail address) in an index;
//! a search's words must each begin one of them.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The longest word kept (longer ones are cut: a search for a prefix still finds them).
const MAX_WORD: usize = 40;

/// The words of `text`, folded as described above, each once, in order.
pub fn words(text: &str) -> Vec<String> {
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect();
    let mut words: Vec<String> = Vec::new();
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        let word: String = word.chars().take(MAX_WORD).collect();
        if !word.is_empty() && !words.contains(&word) {
            words.push(word);
        }
    }
    words
}

/// The upper bound of the words that begin with `prefix`, in byte order (the index's order):
/// `prefix <= word < upper_bound(prefix)`.
pub fn upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_to_words_without_accents_or_case() {
        assert_eq!(words("Nguyễn Văn Minh"), ["nguyen", "van", "minh"]);
        assert_eq!(words("Lê Thu Hà"), ["le", "thu", "ha"]);
        assert_eq!(words("Trần Đức Anh"), ["tran", "duc", "anh"]);
        assert_eq!(
            words("Hélène Dupré-Saint-Cyr"),
            ["helene", "dupre", "saint", "cyr"]
        );
        assert_eq!(
            words("ana.nguyen+film@Example.org"),
            ["ana", "nguyen", "film", "example", "org"]
        );
        assert_eq!(words("  "), Vec::<String>::new());
        assert_eq!(words("Minh minh MINH"), ["minh"]);
    }

    #[test]
    fn every_word_with_a_prefix_lies_below_its_upper_bound() {
        let bound = upper_bound("van");
        for word in ["van", "vanessa", "van9", "vanzzzz"] {
            assert!(word >= "van" && word < bound.as_str(), "{word}");
        }
        assert!("vao" >= bound.as_str());
    }
}
