//! The words the built-in theme prints, in every language it ships:
//! English, Azerbaijani and Chinese. Templates read them as `words.KEY`
//! (`{{ words.key_figures }}`); the figure code (captions, key figures,
//! chart descriptions) through [`Words::get`]. A briefing replaces any of
//! them under `[extra.words]` in its home page's front matter (in each
//! language's `_index.LANG.md` for that edition). A language without its
//! own column gets the English words.

use std::collections::BTreeMap;

/// (key, English, Azerbaijani, Chinese).
const TABLE: &[(&str, &str, &str, &str)] = &[
    (
        "skip_to_content",
        "Skip to the content",
        "Məzmuna keç",
        "跳到正文",
    ),
    (
        "sections_of_the_briefing",
        "Sections of the briefing",
        "Brifinqin bölmələri",
        "简报各部分",
    ),
    ("languages", "Languages", "Dillər", "语言"),
    ("contents", "Contents", "Mündəricat", "目录"),
    ("chart", "Chart", "Qrafik", "图"),
    ("table", "Table", "Cədvəl", "表"),
    ("download_pdf", "Download PDF", "PDF-i yüklə", "下载 PDF"),
    ("by", "By", "Müəllif:", "作者："),
    ("based_on", "Based on", "Mənbə:", "依据"),
    ("more", "more", "daha", "其他"),
    (
        "in_this_briefing",
        "In this briefing",
        "Bu brifinqdə",
        "本简报内容",
    ),
    ("on_this_page", "On this page", "Bu səhifədə", "本页内容"),
    ("previous", "Previous", "Əvvəlki", "上一页"),
    ("next", "Next", "Növbəti", "下一页"),
    ("back_to", "Back to", "Geri:", "返回"),
    (
        "previous_and_next",
        "Previous and next",
        "Əvvəlki və növbəti",
        "上一页和下一页",
    ),
    ("sections", "Sections", "Bölmələr", "部分"),
    ("pages", "Pages", "Səhifələr", "页面"),
    ("key_figures", "Key figures", "Əsas rəqəmlər", "关键数据"),
    ("source", "Source", "Mənbə", "来源"),
    ("sources", "Sources", "Mənbələr", "来源"),
    ("note", "Note", "Qeyd", "注"),
    ("tip", "Tip", "Məsləhət", "提示"),
    ("important", "Important", "Vacib", "重要"),
    ("warning", "Warning", "Xəbərdarlıq", "警告"),
    ("caution", "Caution", "Diqqət", "小心"),
    ("notes", "Notes", "Qeydlər", "注"),
    ("figure", "Figure", "Göstərici", "数据"),
    ("indicator", "Indicator", "Göstərici", "指标"),
    ("value", "Value", "Dəyər", "数值"),
    ("period", "Period", "Dövr", "时期"),
    ("status", "Status", "Status", "状态"),
    ("shown_on", "Shown on", "Göstərildiyi yer", "出现于"),
    ("stated", "stated", "bildirilib", "已公布"),
    ("planned", "planned", "planlaşdırılıb", "计划"),
    ("target", "target", "hədəf", "目标"),
    ("estimated", "estimated", "təxmini", "估计"),
    ("implied", "implied", "hesablanıb", "推算"),
    (
        "figures_from_this_source",
        "Figures from this source",
        "Bu mənbədən rəqəmlər",
        "本来源的数据",
    ),
    (
        "events_from_this_source",
        "Events from this source",
        "Bu mənbədən hadisələr",
        "本来源的事件",
    ),
    ("accessed", "accessed", "baxılıb", "访问于"),
    (
        "download_the_data",
        "Download the data",
        "Məlumatları yükləyin",
        "下载数据",
    ),
    (
        "the_figures_as_a_table",
        "The figures as a table",
        "Rəqəmlər cədvəl şəklində",
        "数据表",
    ),
    (
        "implied_marks",
        "≈ marks values implied by other figures, computed by briefing.",
        "≈ işarəsi digər rəqəmlərdən hesablanmış dəyərləri göstərir.",
        "≈ 表示由其他数据推算得出的数值。",
    ),
    (
        "pale_planned",
        "Pale with an outline: planned or target values.",
        "Açıq rəngli, konturlu: planlaşdırılan və ya hədəf dəyərlər.",
        "浅色带轮廓：计划值或目标值。",
    ),
    (
        "dotted_implied",
        "Dotted outline: values implied by other figures.",
        "Nöqtəli kontur: digər rəqəmlərdən hesablanmış dəyərlər.",
        "虚线轮廓：由其他数据推算的数值。",
    ),
    ("category", "Category", "Kateqoriya", "类别"),
    ("chart_described", "{0}. {1}.", "{0}. {1}.", "{0}。{1}。"),
    // A chart's or table's number before its caption, and in a reference
    // ("Chart 3. Freight", "图3 货运量"; "see Chart 3", "见图3").
    ("numbered_caption", "{0} {1}.", "{0} {1}.", "{0}{1}"),
    // A figure's description ("Label, period") and what an implied figure
    // is implied by, in its tooltip; {0} and {1} are the inputs, formatted.
    ("label_period", "{0}, {1}", "{0}, {1}", "{0}，{1}"),
    (
        "implied_by",
        "{0}; implied by {1}",
        "{0}; {1} əsasında hesablanıb",
        "{0}；由{1}推算",
    ),
    (
        "relation_growth",
        "growth from {0} to {1}",
        "{0} → {1} artımı",
        "从{0}到{1}的增长",
    ),
    (
        "relation_multiple",
        "{1} as a multiple of {0}",
        "{1} və {0} nisbəti",
        "{1}相当于{0}的倍数",
    ),
    (
        "relation_share",
        "{0} as a share of {1}",
        "{0} və {1} nisbəti",
        "{0}占{1}的比例",
    ),
    ("relation_sum", "sum of {0}", "cəmi: {0}", "{0}之和"),
    (
        "relation_difference",
        "{0} minus {1}",
        "{0} çıxılsın {1}",
        "{0}减{1}",
    ),
    (
        "relation_start_from_growth",
        "{0} before growth of {1}",
        "{0} və {1} artım",
        "{0}按{1}的增长",
    ),
    (
        "relation_start_from_multiple",
        "{0} divided by the multiple {1}",
        "{0} bölünsün {1} dəfəyə",
        "{0}除以倍数{1}",
    ),
    ("numbered_reference", "{0} {1}", "{0} {1}", "{0}{1}"),
    ("label_value", "{0}: {1}", "{0}: {1}", "{0}：{1}"),
    ("values_separator", "; ", "; ", "；"),
    ("range_to", "{0} to {1}", "{0} – {1}", "{0}至{1}"),
    (
        "from_to",
        "from {0} to {1}",
        "əvvəl {0}, sonra {1}",
        "从{0}到{1}",
    ),
    (
        "part_of",
        "{0} of {1} ({2}, implied)",
        "{1} içində {0} ({2}, hesablanıb)",
        "{1}中的{0}（{2}，推算）",
    ),
    ("bar_chart", "Bar chart", "Sütunlu diaqram", "柱状图"),
    (
        "hbar_chart",
        "Horizontal bar chart",
        "Üfüqi sütunlu diaqram",
        "条形图",
    ),
    (
        "grouped_chart",
        "Grouped bar chart",
        "Qruplaşdırılmış sütunlu diaqram",
        "分组柱状图",
    ),
    ("line_chart", "Line chart", "Xətti diaqram", "折线图"),
    (
        "dumbbell_chart",
        "Dumbbell chart",
        "Əvvəl-sonra diaqramı",
        "哑铃图",
    ),
    ("share_chart", "Stacked bar", "Paylı sütun", "堆积条形图"),
    (
        "page_not_found",
        "Page not found",
        "Səhifə tapılmadı",
        "找不到页面",
    ),
    (
        "not_found_text",
        "There is no page at this address. It may have moved, or the link may be wrong.",
        "Bu ünvanda səhifə yoxdur. O köçürülmüş ola bilər, ya da keçid səhvdir.",
        "此地址没有页面。页面可能已移动，或链接有误。",
    ),
    (
        "go_to_start",
        "Go to the start of the briefing",
        "Brifinqin əvvəlinə keçin",
        "返回简报首页",
    ),
    ("translation_of", "Translation of", "Tərcümə:", "译自"),
];

/// The theme's words in one language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Words {
    words: BTreeMap<String, String>,
}

impl Words {
    /// The built-in words of `language` (its primary tag; English for a
    /// language briefing does not ship), with `overrides` on top.
    pub fn new(language: &str, overrides: Option<&toml::Table>) -> Words {
        let column = match language.split('-').next().unwrap_or(language) {
            "az" => 1,
            "zh" => 2,
            _ => 0,
        };
        let mut words: BTreeMap<String, String> = TABLE
            .iter()
            .map(|&(k, en, az, zh)| (k.to_string(), [en, az, zh][column].to_string()))
            .collect();
        for (k, v) in overrides.into_iter().flatten() {
            if let Some(v) = v.as_str() {
                words.insert(k.clone(), v.to_string());
            }
        }
        Words { words }
    }

    /// The word `key`, a pattern, with `{0}`, `{1}` … replaced by `args`
    /// in one pass (so that an argument holding `{1}` stays as it is).
    pub fn fill(&self, key: &str, args: &[&str]) -> String {
        let pattern = self.get(key);
        let mut out =
            String::with_capacity(pattern.len() + args.iter().map(|a| a.len()).sum::<usize>());
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let token = rest[open + 1..].split_once('}');
            let arg = token.and_then(|(n, after)| {
                let n: usize = n
                    .parse()
                    .ok()
                    .filter(|_| n.bytes().all(|b| b.is_ascii_digit()))?;
                args.get(n).map(|a| (*a, after))
            });
            match arg {
                Some((a, after)) => {
                    out.push_str(a);
                    rest = after;
                }
                None => {
                    out.push('{');
                    rest = &rest[open + 1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The word for `key`; the key itself when there is none.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map_or(key, String::as_str)
    }

    /// All of them, for templates.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_filled_in_one_pass() {
        let w = Words::new("en", None);
        assert_eq!(w.fill("range_to", &["{1}", "5"]), "{1} to 5");
        assert_eq!(
            w.fill("chart_described", &["Bar chart", "a: 1"]),
            "Bar chart. a: 1."
        );
        assert_eq!(
            Words::new("zh", None).fill("numbered_caption", &["图", "3"]),
            "图3"
        );
        assert_eq!(
            w.fill("range_to", &["1"]),
            "1 to {1}",
            "a missing argument stays"
        );
    }

    #[test]
    fn every_word_exists_in_every_language_and_can_be_replaced() {
        for &(k, en, az, zh) in TABLE {
            assert!(!en.is_empty() && !az.is_empty() && !zh.is_empty(), "{k}");
        }
        let keys: std::collections::HashSet<&str> = TABLE.iter().map(|t| t.0).collect();
        assert_eq!(keys.len(), TABLE.len(), "a key twice");
        assert_eq!(Words::new("zh-Hans", None).get("key_figures"), "关键数据");
        assert_eq!(Words::new("fr", None).get("key_figures"), "Key figures");
        let mut own = toml::Table::new();
        own.insert("key_figures".into(), "At a glance".into());
        assert_eq!(
            Words::new("en", Some(&own)).get("key_figures"),
            "At a glance"
        );
    }
}
