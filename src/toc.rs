//! A page's table of contents, held compactly.
//!
//! Every page's headings are held from the model until the build ends, so
//! at 100,000 pages their shape is memory: as a tree of entries, three
//! strings and a vector each, the benchmark's three headings a page took
//! 71 MB (`valgrind --tool=massif`); as a [`Toc`], 23 MB. It holds each
//! page's ids and titles in one string and the headings as a flat list;
//! templates still get Zola's nested entries (`level`, `id`, `title`,
//! `permalink`, `children`), built as they are serialized.

use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct};

/// The headings of a page below its title, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Toc {
    /// Each heading's id, then its title, one after another.
    text: Box<str>,
    headings: Box<[Heading]>,
}

/// Where one heading's id and title end in [`Toc::text`] (each starts where
/// the one before ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Heading {
    level: u8,
    id_end: u32,
    title_end: u32,
}

/// A page without headings.
pub static EMPTY: std::sync::LazyLock<Toc> = std::sync::LazyLock::new(Toc::default);

impl Toc {
    /// The table of contents of headings `(level, id, title)`, in order.
    pub fn new<'a, I>(headings: I) -> Toc
    where
        I: IntoIterator<Item = (u32, &'a str, &'a str)>,
        I::IntoIter: Clone,
    {
        // Sized first: growing the string heading by heading was 2 % of a
        // build's time in reallocations (`perf`, 10,000 pages).
        let headings = headings.into_iter();
        let (count, bytes) = headings.clone().fold((0, 0), |(n, b), (_, id, title)| {
            (n + 1, b + id.len() + title.len())
        });
        let (mut text, mut list) = (String::with_capacity(bytes), Vec::with_capacity(count));
        for (level, id, title) in headings {
            text.push_str(id);
            let id_end = offset(&text);
            text.push_str(title);
            list.push(Heading {
                level: level.clamp(1, 6) as u8,
                id_end,
                title_end: offset(&text),
            });
        }
        Toc {
            text: text.into_boxed_str(),
            headings: list.into_boxed_slice(),
        }
    }

    /// How many headings there are, at every level.
    pub fn len(&self) -> usize {
        self.headings.len()
    }

    /// Whether the page has no headings.
    pub fn is_empty(&self) -> bool {
        self.headings.is_empty()
    }

    /// The headings as `(level, id, title)`, in order.
    pub fn headings(&self) -> impl Iterator<Item = (u32, &str, &str)> + '_ {
        let mut start = 0;
        self.headings.iter().map(move |h| {
            let (id_end, title_end) = (h.id_end as usize, h.title_end as usize);
            let item = (
                u32::from(h.level),
                &self.text[start..id_end],
                &self.text[id_end..title_end],
            );
            start = title_end;
            item
        })
    }

    /// The headings nested: each one holds those of a deeper level that
    /// follow it, up to the next of its own level or higher.
    pub fn tree(&self) -> Vec<TocEntry<'_>> {
        fn insert<'a>(list: &mut Vec<TocEntry<'a>>, entry: TocEntry<'a>) {
            match list.last_mut() {
                Some(last) if last.level < entry.level => insert(&mut last.children, entry),
                _ => list.push(entry),
            }
        }
        let mut tree = Vec::new();
        for (level, id, title) in self.headings() {
            let children = Vec::new();
            insert(
                &mut tree,
                TocEntry {
                    level,
                    id,
                    title,
                    children,
                },
            );
        }
        tree
    }
}

/// A table of contents is too long for `u32` offsets only past 4 GiB of
/// headings, which no Markdown file briefing reads can hold.
fn offset(text: &str) -> u32 {
    u32::try_from(text.len()).unwrap_or(u32::MAX)
}

/// One heading in a table of contents, with the headings nested under it
/// (Zola's field names; `permalink` is `#id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry<'a> {
    /// 1 to 6.
    pub level: u32,
    /// The heading's `id`.
    pub id: &'a str,
    /// The heading's text.
    pub title: &'a str,
    /// Headings nested under this one.
    pub children: Vec<TocEntry<'a>>,
}

impl TocEntry<'_> {
    /// A link to the heading on its page (`#id`).
    pub fn permalink(&self) -> String {
        format!("#{}", self.id)
    }
}

impl Serialize for TocEntry<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("TocEntry", 5)?;
        s.serialize_field("level", &self.level)?;
        s.serialize_field("id", self.id)?;
        s.serialize_field("title", self.title)?;
        s.serialize_field("permalink", &self.permalink())?;
        s.serialize_field("children", &self.children)?;
        s.end()
    }
}

/// As templates read it: the nested entries.
impl Serialize for Toc {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let tree = self.tree();
        let mut seq = serializer.serialize_seq(Some(tree.len()))?;
        for e in &tree {
            seq.serialize_element(e)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn headings_nest_under_the_nearest_higher_one() {
        let toc = Toc::new([
            (2, "trade", "Trade"),
            (3, "exports", "Exports"),
            (4, "oil", "Oil"),
            (3, "imports", "Imports"),
            (2, "energy", "Energy"),
            (1, "odd", "A level-one heading"),
        ]);
        let tree = toc.tree();
        assert_eq!(tree.len(), 3);
        assert_eq!(tree[0].children.len(), 2);
        assert_eq!(tree[0].children[0].children[0].title, "Oil");
        assert_eq!(tree[0].children[1].permalink(), "#imports");
        assert_eq!(tree[2].level, 1);
        let json = serde_json::to_value(&toc).unwrap();
        assert_eq!(json[0]["children"][0]["permalink"], "#exports");
        assert_eq!(json[1]["title"], "Energy");
        assert_eq!(
            serde_json::to_value(&*EMPTY).unwrap(),
            serde_json::json!([])
        );
    }

    proptest! {
        /// Whatever the ids and titles (empty, non-Latin, with any
        /// characters), they come back as they went in, in order.
        #[test]
        fn headings_come_back_as_given(
            given in proptest::collection::vec((1u32..=6, ".{0,12}", ".{0,20}"), 0..12)
        ) {
            let toc = Toc::new(given.iter().map(|(l, i, t)| (*l, i.as_str(), t.as_str())));
            let back: Vec<(u32, String, String)> = toc
                .headings()
                .map(|(l, i, t)| (l, i.to_string(), t.to_string()))
                .collect();
            prop_assert_eq!(back, given.clone());
            prop_assert_eq!(toc.len(), given.len());
            fn count(t: &[TocEntry<'_>]) -> usize {
                t.iter().map(|e| 1 + count(&e.children)).sum()
            }
            prop_assert_eq!(count(&toc.tree()), given.len());
        }
    }
}
