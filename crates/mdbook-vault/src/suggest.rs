//! "Did you mean …?": the existing name most like a broken one, found in
//! time that does not grow with the product of errors and names.
//!
//! # Which names are suggested
//! Names are compared case-insensitively by Damerau–Levenshtein distance
//! over characters (insertions, deletions, substitutions and swaps of two
//! neighbours each count one). A name is similar enough when the distance
//! is at most a third of the longer length ([`similar_enough`]): `Pgae` for
//! `Page`, `Capability Vue` for `Capability View`, but nothing for
//! `Two Lines` against `Home`. Among similar names the one with the highest
//! normalized similarity (`1 - distance / longer length`) wins; ties go to
//! the name given first.
//!
//! # Cost
//! A similar name's length lies within `[2/3, 3/2]` of the wanted one's, so
//! only names in that window are considered. When the window holds more
//! than [`MAX_COMPARED`] distinct names, they are ranked by the number of
//! padded character trigrams they share with the wanted name (through an
//! inverted index, rarest trigrams first, reading at most [`MAX_VISITED`]
//! index entries) and only the best [`MAX_COMPARED`] are compared in full.
//! A full comparison is skipped when the names' character multisets already
//! differ by more than the threshold or than the best match so far allows.
//! The suggestion is then the best of those, which for a misspelling is the
//! name it was misspelled from in practice; the error is reported either
//! way.

use std::collections::HashMap;

/// At most this many names are compared in full per broken name.
pub const MAX_COMPARED: usize = 32;

/// At most this many trigram index entries are read per broken name (more
/// only when the rarest of its trigrams alone has more).
pub const MAX_VISITED: usize = 20_000;

/// Whether a name at `distance` edits is close enough to suggest, for names
/// of `a` and `b` characters: `3 * distance <= max(a, b)`.
pub fn similar_enough(distance: usize, a: usize, b: usize) -> bool {
    distance.saturating_mul(3) <= a.max(b)
}

/// A character trigram of a padded, lowercased name.
type Gram = [char; 3];

/// Marks the two ends of a name in its trigrams, so that names shorter than
/// three characters have trigrams too and prefixes and suffixes weigh more.
const PAD: char = '\u{0}';

/// Distinct candidate names, indexed for [`Index::closest`].
#[derive(Debug, Default)]
pub struct Index {
    /// The names as they will be suggested, first occurrence of each
    /// lowercased form only, in the order given; empty names are left out.
    names: Vec<String>,
    /// Each name lowercased, as characters.
    keys: Vec<Vec<char>>,
    /// Each name lowercased, as a string (for the distance).
    lowered: Vec<String>,
    /// Each name's lowercased characters, sorted (for the bag distance).
    bags: Vec<Vec<char>>,
    /// For each trigram, the names (indices, ascending) that contain it.
    postings: HashMap<Gram, Vec<u32>>,
    /// Name indices sorted by key length, and the key lengths in that order.
    by_length: Vec<u32>,
    lengths: Vec<usize>,
}

fn key(name: &str) -> Vec<char> {
    name.chars().flat_map(char::to_lowercase).collect()
}

fn grams(key: &[char]) -> Vec<Gram> {
    let padded: Vec<char> = [PAD, PAD]
        .into_iter()
        .chain(key.iter().copied())
        .chain([PAD, PAD])
        .collect();
    let mut grams: Vec<Gram> = padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// A name's characters, sorted: its multiset.
fn bag(key: &[char]) -> Vec<char> {
    let mut b = key.to_vec();
    b.sort_unstable();
    b
}

/// The bag distance of two sorted multisets: the larger of the two
/// differences. No edit changes it by more than one, so it is a lower bound
/// of the Damerau–Levenshtein distance.
fn bag_distance(a: &[char], b: &[char]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (a.len() - common).max(b.len() - common)
}

impl Index {
    /// Indexes `names`; a name whose lowercased form repeats an earlier one
    /// is dropped (the earlier one is suggested instead). Linear in the
    /// total length of the names.
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Index {
        let mut index = Index::default();
        let mut seen: std::collections::HashSet<Vec<char>> = Default::default();
        for name in names {
            let name = name.as_ref();
            let k = key(name);
            if k.is_empty() || !seen.insert(k.clone()) {
                continue;
            }
            let id = index.names.len() as u32;
            for g in grams(&k) {
                index.postings.entry(g).or_default().push(id);
            }
            index.names.push(name.to_string());
            index.lowered.push(k.iter().collect());
            index.bags.push(bag(&k));
            index.keys.push(k);
        }
        let mut order: Vec<u32> = (0..index.names.len() as u32).collect();
        order.sort_by_key(|&i| index.keys[i as usize].len());
        index.lengths = order
            .iter()
            .map(|&i| index.keys[i as usize].len())
            .collect();
        index.by_length = order;
        index
    }

    /// The indexed name most similar to `wanted` (see the module docs), or
    /// `None` when no name is [`similar_enough`]. Compares at most
    /// [`MAX_COMPARED`] names in full.
    ///
    /// ```
    /// use mdbook_vault::suggest::Index;
    /// let index = Index::new(["Home", "Capability View"]);
    /// assert_eq!(index.closest("Capability Vue"), Some("Capability View"));
    /// assert_eq!(index.closest("Two Lines"), None);
    /// ```
    pub fn closest(&self, wanted: &str) -> Option<&str> {
        let wanted = key(wanted);
        let len = wanted.len();
        if len == 0 {
            return None;
        }
        // 3 * |len - other| <= max(len, other) bounds `other` to this window.
        let lo = (2 * len).div_ceil(3);
        let hi = len.saturating_mul(3) / 2;
        let from = self.lengths.partition_point(|&l| l < lo);
        let to = self.lengths.partition_point(|&l| l <= hi);
        let window = &self.by_length[from..to];
        // Most promising first, so that the bound below prunes the rest.
        let candidates: Vec<u32> = if window.len() <= MAX_COMPARED {
            window.to_vec()
        } else {
            self.best_by_trigrams(&wanted, lo, hi)
        };
        let wanted_bag = bag(&wanted);
        let wanted_str: String = wanted.iter().collect();
        let mut best: Option<(f64, u32)> = None;
        for i in candidates {
            let i_ = i as usize;
            let other_len = self.keys[i_].len();
            let longer = len.max(other_len);
            let score = |distance: usize| 1.0 - distance as f64 / longer as f64;
            // The bag distance bounds the edit distance from below: skip
            // names that cannot be similar enough, or beat the best so far.
            let floor = bag_distance(&wanted_bag, &self.bags[i_]);
            let beaten =
                |d: usize| best.is_some_and(|(s, b)| score(d) < s || (score(d) == s && b < i));
            if !similar_enough(floor, len, other_len) || beaten(floor) {
                continue;
            }
            let distance = strsim::damerau_levenshtein(&wanted_str, &self.lowered[i_]);
            if !similar_enough(distance, len, other_len) || beaten(distance) {
                continue;
            }
            best = Some((score(distance), i));
        }
        best.map(|(_, i)| self.names[i as usize].as_str())
    }

    /// The [`MAX_COMPARED`] names with lengths in `lo..=hi` that share the
    /// most trigrams with `wanted`, best first (earlier names first among
    /// equals).
    fn best_by_trigrams(&self, wanted: &[char], lo: usize, hi: usize) -> Vec<u32> {
        let mut shared = vec![0u32; self.names.len()];
        let mut touched = Vec::new();
        // Rarest trigrams first, the most telling; stop before the work
        // exceeds MAX_VISITED entries (the first trigram is always read).
        let mut lists: Vec<&[u32]> = grams(wanted)
            .iter()
            .filter_map(|g| self.postings.get(g).map(Vec::as_slice))
            .collect();
        lists.sort_by_key(|l| l.len());
        let mut visited = 0usize;
        for list in lists {
            if visited > 0 && visited + list.len() > MAX_VISITED {
                break;
            }
            visited += list.len();
            for &i in list {
                let l = self.keys[i as usize].len();
                if (lo..=hi).contains(&l) {
                    if shared[i as usize] == 0 {
                        touched.push(i);
                    }
                    shared[i as usize] += 1;
                }
            }
        }
        let mut ranked: Vec<(u32, u32)> =
            touched.iter().map(|&i| (i, shared[i as usize])).collect();
        let by_rank = |a: &(u32, u32), b: &(u32, u32)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
        if ranked.len() > MAX_COMPARED {
            ranked.select_nth_unstable_by(MAX_COMPARED - 1, by_rank);
            ranked.truncate(MAX_COMPARED);
        }
        ranked.sort_unstable_by(by_rank);
        ranked.into_iter().map(|(i, _)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same choice made by comparing every name.
    fn brute_force<'a>(names: &[&'a str], wanted: &str) -> Option<&'a str> {
        let w = key(wanted);
        let mut best: Option<(f64, &str)> = None;
        for n in names {
            let k = key(n);
            let d = strsim::generic_damerau_levenshtein(&w, &k);
            assert!(bag_distance(&bag(&w), &bag(&k)) <= d);
            if !similar_enough(d, w.len(), k.len()) {
                continue;
            }
            let score = 1.0 - d as f64 / w.len().max(k.len()).max(1) as f64;
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, n));
            }
        }
        best.map(|(_, n)| n)
    }

    #[test]
    fn threshold_keeps_misspellings_and_drops_strangers() {
        let index = Index::new(["Home", "Page", "Capability View"]);
        assert_eq!(index.closest("Pgae"), Some("Page"));
        assert_eq!(index.closest("capability vue"), Some("Capability View"));
        assert_eq!(index.closest("Two Lines"), None);
        assert_eq!(index.closest(""), None);
        assert!(similar_enough(1, 3, 2) && !similar_enough(2, 5, 5));
    }

    #[test]
    fn duplicates_collapse_to_the_first_spelling() {
        let index = Index::new(["Setup", "setup", "SETUP"]);
        assert_eq!(index.names, ["Setup"]);
        assert_eq!(index.closest("setpu"), Some("Setup"));
    }

    #[test]
    fn large_windows_still_find_the_misspelled_name() {
        // 2,000 names of equal length: the trigram ranking must keep the
        // one that was misspelled among the few compared in full.
        let names: Vec<String> = (0..2000)
            .map(|i| format!("Heading number {i:05}"))
            .collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let index = Index::new(&names);
        for wanted in [
            "Heading numbre 01234",
            "heading number 1999",
            "Haeding number 00007",
        ] {
            assert_eq!(
                index.closest(wanted),
                brute_force(&refs, wanted),
                "{wanted}"
            );
            assert!(index.closest(wanted).is_some(), "{wanted}");
        }
    }

    #[test]
    fn small_windows_match_brute_force_exactly() {
        let names = [
            "A",
            "ab",
            "abc",
            "Setup",
            "Set up",
            "Stepup",
            "x y z",
            "ünïcode",
        ];
        let index = Index::new(names);
        for wanted in [
            "a",
            "B",
            "abd",
            "setpu",
            "set-up",
            "xyz",
            "unicode",
            "ÜNÏCODE",
            "zzzz",
        ] {
            assert_eq!(
                index.closest(wanted),
                brute_force(&names, wanted),
                "{wanted}"
            );
        }
    }
}
