//! Does the name a payer expects belong to the account holder MTN registered? Pure: two
//! names in, a verdict out.
//!
//! Tolerant where people differ in how they write a name: case, accents, punctuation,
//! extra or missing middle names, given and family name in either order, initials, a typo
//! in a given name. Strict where fraud hides: the registered family name must be in the
//! expected name (a stranger who shares a first name does not pass).

use strsim::jaro_winkler;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// At or above this Jaro-Winkler similarity, two given names are the same with a typo
/// ("Jonh" / "John"); below, another name.
const GIVEN_TYPO: f64 = 0.9;

/// Which rule decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The same words in the same order.
    Exact,
    /// The same words, given and family name swapped.
    Reordered,
    /// A middle name more or fewer on one side.
    MiddleNames,
    /// A given name written as its initial.
    Initials,
    /// A given name with a typo.
    Similar,
    /// The registered family name is not in the expected name.
    SurnameDiffers,
    /// The family name agrees, but no given name does.
    GivenNameDiffers,
    /// The provider registered no name to compare with.
    NoRegisteredName,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Exact => "exact",
            Rule::Reordered => "reordered",
            Rule::MiddleNames => "middle_names",
            Rule::Initials => "initials",
            Rule::Similar => "similar",
            Rule::SurnameDiffers => "surname_differs",
            Rule::GivenNameDiffers => "given_name_differs",
            Rule::NoRegisteredName => "no_registered_name",
        }
    }
}

/// The outcome of a comparison: whether it passes, a similarity score in [0, 1] (of the
/// words sorted, so the order does not lower it), and the rule that decided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub matches: bool,
    pub score: f64,
    pub rule: Rule,
}

/// Lower-case words without accents or punctuation: "José-María O'Neil" is
/// `["jose", "maria", "oneil"]`. Apostrophes join (O'Neil is one name), other
/// separators split.
pub fn words(name: &str) -> Vec<String> {
    let folded: String = name
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| !matches!(c, '\'' | '\u{2019}' | '`'))
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().map(str::to_owned).collect()
}

fn sorted_text(words: &[String]) -> String {
    let mut w = words.to_vec();
    w.sort();
    w.join(" ")
}

/// Whether `word` (from the expected name) stands for the registered given name `given`:
/// the same, its initial, or the same with a typo. `None` when it does not.
fn given_match(word: &str, given: &str) -> Option<Rule> {
    if word == given {
        return Some(Rule::Exact);
    }
    if word.chars().count() == 1 {
        return (given.chars().next() == word.chars().next()).then_some(Rule::Initials);
    }
    (word.chars().count() > 2 && jaro_winkler(word, given) >= GIVEN_TYPO).then_some(Rule::Similar)
}

/// Compares the `expected` name with the registered given and family names.
pub fn compare(expected: &str, given_name: &str, family_name: &str) -> Verdict {
    let exp = words(expected);
    let given = words(given_name);
    let family = words(family_name);
    let registered: Vec<String> = given.iter().chain(family.iter()).cloned().collect();
    let score = if exp.is_empty() || registered.is_empty() {
        0.0
    } else {
        jaro_winkler(&sorted_text(&exp), &sorted_text(&registered))
    };
    let verdict = |matches, rule| Verdict {
        matches,
        score,
        rule,
    };
    if registered.is_empty() {
        return verdict(false, Rule::NoRegisteredName);
    }
    if exp == registered {
        return Verdict {
            matches: true,
            score: 1.0,
            rule: Rule::Exact,
        };
    }
    // Strict: every word of the registered family name, whole, in the expected name.
    let mut rest = exp.clone();
    for f in &family {
        match rest.iter().position(|w| w == f) {
            Some(at) => {
                rest.remove(at);
            }
            None => return verdict(false, Rule::SurnameDiffers),
        }
    }
    if family.is_empty() {
        // Only a given name registered: it must then be in the expected name whole.
        let found = given.iter().any(|g| rest.iter().any(|w| w == g));
        return verdict(
            found,
            if found {
                Rule::MiddleNames
            } else {
                Rule::GivenNameDiffers
            },
        );
    }
    // Tolerant: at least one given name stands for a registered one; other words are
    // middle names one side wrote and the other did not.
    let mut rule: Option<Rule> = None;
    for w in &rest {
        if let Some(r) = given.iter().find_map(|g| given_match(w, g)) {
            rule = Some(match (rule, r) {
                (Some(Rule::Similar), _) | (_, Rule::Similar) => Rule::Similar,
                (Some(Rule::Initials), _) | (_, Rule::Initials) => Rule::Initials,
                _ => Rule::Exact,
            });
        }
    }
    match rule {
        None => verdict(false, Rule::GivenNameDiffers),
        Some(Rule::Exact) => {
            let mut a = exp.clone();
            let mut b = registered.clone();
            a.sort();
            b.sort();
            let r = if a == b {
                Rule::Reordered
            } else {
                Rule::MiddleNames
            };
            verdict(true, r)
        }
        Some(r) => verdict(true, r),
    }
}

/// The first letter of each word and a star for every other letter: "John Okafor" is
/// `J*** O*****`. What the ledger keeps instead of a registered name.
pub fn mask(name: &str) -> String {
    name.split_whitespace()
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().map(String::from).unwrap_or_default();
            first + &"*".repeat(chars.count())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_of_names() {
        // (expected, given, family, passes, rule)
        #[rustfmt::skip]
        let cases: &[(&str, &str, &str, bool, Rule)] = &[
            ("John Okafor", "John", "Okafor", true, Rule::Exact),
            ("john OKAFOR", "John", "Okafor", true, Rule::Exact),
            ("José Núñez", "Jose", "Nunez", true, Rule::Exact),
            ("Jose Nunez", "José", "Núñez", true, Rule::Exact),
            ("Okafor John", "John", "Okafor", true, Rule::Reordered),
            ("Okafor, John", "John", "Okafor", true, Rule::Reordered),
            ("John Chukwu Okafor", "John", "Okafor", true, Rule::MiddleNames),
            ("John Okafor", "John Chukwu", "Okafor", true, Rule::MiddleNames),
            ("Chukwu Okafor", "John Chukwu", "Okafor", true, Rule::MiddleNames),
            ("J. Okafor", "John", "Okafor", true, Rule::Initials),
            ("J Okafor", "John", "Okafor", true, Rule::Initials),
            ("Jonh Okafor", "John", "Okafor", true, Rule::Similar),
            ("Aisha O'Neil", "Aisha", "ONeil", true, Rule::Exact),
            ("Mary-Jane Doe", "Mary Jane", "Doe", true, Rule::Exact),
            ("John Okeke", "John", "Okafor", false, Rule::SurnameDiffers),
            ("John Okafo", "John", "Okafor", false, Rule::SurnameDiffers),
            ("Peter Okafor", "John", "Okafor", false, Rule::GivenNameDiffers),
            ("K. Okafor", "John", "Okafor", false, Rule::GivenNameDiffers),
            ("Okafor", "John", "Okafor", false, Rule::GivenNameDiffers),
            ("John Okafor", "", "", false, Rule::NoRegisteredName),
            ("", "John", "Okafor", false, Rule::SurnameDiffers),
        ];
        for (expected, given, family, passes, rule) in cases {
            let v = compare(expected, given, family);
            assert_eq!(
                (v.matches, v.rule),
                (*passes, *rule),
                "{expected:?} against {given:?} {family:?}: {v:?}"
            );
            assert!((0.0..=1.0).contains(&v.score), "{v:?}");
        }
    }

    #[test]
    fn the_score_is_high_for_near_names_and_low_for_others() {
        assert!((compare("John Okafor", "John", "Okafor").score - 1.0).abs() < 1e-9);
        assert!(compare("Okafor John", "John", "Okafor").score > 0.99);
        assert!(compare("Mary Smith", "John", "Okafor").score < 0.7);
    }

    #[test]
    fn masks_keep_first_letters_only() {
        assert_eq!(mask("John Okafor"), "J*** O*****");
        assert_eq!(mask("Jane  Oyelowo"), "J*** O******");
        assert_eq!(mask("Ñandú"), "Ñ****");
        assert_eq!(mask(""), "");
    }
}
