//! The built-in theme, compiled into the binary.
//!
//! A briefing needs no templates of its own: these render a finished,
//! accessible site. A site's `templates/` folder overrides them file by file
//! (same name wins), and a file in `static/` replaces a theme asset.

/// Templates by name.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("theme/templates/base.html")),
    ("index.html", include_str!("theme/templates/index.html")),
    ("section.html", include_str!("theme/templates/section.html")),
    ("page.html", include_str!("theme/templates/page.html")),
    (
        "partials/nav.html",
        include_str!("theme/templates/partials/nav.html"),
    ),
    (
        "partials/pager.html",
        include_str!("theme/templates/partials/pager.html"),
    ),
    (
        "partials/toc.html",
        include_str!("theme/templates/partials/toc.html"),
    ),
    (
        "partials/footer.html",
        include_str!("theme/templates/partials/footer.html"),
    ),
    ("sources.html", include_str!("theme/templates/sources.html")),
    ("404.html", include_str!("theme/templates/404.html")),
    ("sitemap.xml", include_str!("theme/templates/sitemap.xml")),
    ("atom.xml", include_str!("theme/templates/atom.xml")),
    ("robots.txt", include_str!("theme/templates/robots.txt")),
];

/// Site-wide files rendered once, from the template of the same name.
pub const SITE_FILES: &[&str] = &["404.html", "sitemap.xml", "atom.xml", "robots.txt"];

/// Files written to the output root unless `static/` has the same path.
pub const ASSETS: &[(&str, &[u8])] = &[("style.css", include_bytes!("theme/static/style.css"))];
