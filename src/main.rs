//! The `briefing` command: parses arguments, calls the library, prints the
//! diagnostics and the error chain once, and sets the exit code: 0 when it
//! did what was asked, 1 when the briefing has errors (or warnings under
//! `--strict`), 2 for a mistake in the command line or a failure of the
//! tool or the system (a disk error, a port in use, an output folder it
//! refuses).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A static site generator for data-heavy policy briefings.
#[derive(Parser)]
#[command(name = "briefing", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only warnings and errors, not what was done.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print the relations between the figures (`build`, as `check` does).
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Colour the diagnostics: `auto` (on a terminal, unless `NO_COLOR` is set), `always` or `never`.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// How diagnostics are printed: `human`, `json` (one object per line on standard output) or `github` (workflow annotations on standard output).
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// `--color`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// `--format`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

/// How the command reports: to which streams, in which form.
#[derive(Clone, Copy)]
struct Out {
    format: briefing::machine::Format,
    styled: bool,
    quiet: bool,
    verbose: bool,
}

impl Out {
    /// Prints diagnostics: rendered on standard error, or for programs on
    /// standard output.
    fn diagnostics(&self, ds: &[briefing::Diagnostic]) {
        let text = briefing::machine::print(ds, self.format, self.styled);
        match self.format {
            briefing::machine::Format::Human => eprint!("{text}"),
            _ => print!("{text}"),
        }
    }

    /// Says what was done, unless `--quiet`.
    fn done(&self, message: std::fmt::Arguments<'_>) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    /// Whether diagnostics are for people.
    fn human(&self) -> bool {
        self.format == briefing::machine::Format::Human
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the briefing into a static site.
    Build {
        /// The briefing's root folder (the one holding `content/`).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The absolute URL the site will be published at (for canonical links).
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages and sections marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Fail on warnings (stale or unused figures, contradictions, numbers typed into prose).
        #[arg(long)]
        strict: bool,
        /// Skip the PDF edition this time.
        #[arg(long)]
        no_pdf: bool,
        /// Replace an output folder that briefing did not create, deleting
        /// what it holds (never the home folder, the briefing or its sources).
        #[arg(long)]
        delete_existing_output: bool,
    },
    /// Typeset the PDF edition alone.
    Pdf {
        /// The briefing's root folder (the one holding `content/`).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The file to write [default: briefing.pdf, or briefing.LANG.pdf for a translation].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The language of the edition (one of the briefing's `languages`) [default: the briefing's own].
        #[arg(long)]
        language: Option<String>,
        /// Include pages and sections marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Build in memory, serve on loopback, rebuild on save and reload the open pages.
    Serve {
        /// The briefing's root folder (the one holding `content/`).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; anything but loopback is reachable from other machines.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include pages and sections marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Open the briefing in the default browser.
        #[arg(long)]
        open: bool,
        /// Also answer requests for this host name (repeatable), e.g. the machine's name on the LAN.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_hosts: Vec<String>,
    },
    /// Start a new briefing in DIR (which must be new or empty).
    Init {
        /// The folder to create the briefing in.
        dir: PathBuf,
    },
    /// Draw one chart of the data file as a standalone SVG file (for slides, documents, READMEs).
    Chart {
        /// The chart's id (`[charts.ID]` in `content/data.toml`).
        id: String,
        /// The briefing's root folder (the one holding `content/`).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The file to write [default: standard output].
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Check the briefing (content, figures, templates) without writing anything.
    Check {
        /// The briefing's root folder (the one holding `content/`).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Include pages and sections marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Exit 1 on warnings too.
        #[arg(long)]
        strict: bool,
        /// List the external URLs with the pages that use them (they are not fetched).
        #[arg(long)]
        external: bool,
    },
    /// Copy the built-in theme's templates into templates/, to start an override from the original.
    Templates {
        /// The briefing's root folder (the one holding `content/`).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Templates to copy (e.g. `page.html partials/footer.html`) [default: all].
        names: Vec<String>,
    },
    /// Removes an old output retired by a build (started by `build` itself).
    #[command(name = "__remove-retired", hide = true)]
    RemoveRetired {
        /// The retired folder (`.NAME.briefing-trash-…`).
        path: PathBuf,
    },
}

/// mimalloc, not glibc's allocator: a build allocates every page's strings
/// on one core and frees many of them on another, and glibc serialised
/// those frees on its per-thread heaps' locks (futex waits were 9 % of a
/// 10,000-page build's samples in `perf`) and grew its heaps page by page.
/// Measured with `benches/ab.py` against the same code on glibc: 10,000
/// pages 0.78×, 100,000 pages 0.84× the time, 10 pages the same time and
/// memory. Version 2 was faster than 3 here. It may use transparent huge
/// pages, for the briefings where they pay ([`briefing::huge_pages`]).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Until a briefing's size says otherwise (see the allocator above).
    briefing::huge_pages::leave_off();
    let cli = Cli::parse();
    let styled = match cli.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let out = Out {
        format: match cli.format {
            Format::Human => briefing::machine::Format::Human,
            Format::Json => briefing::machine::Format::Json,
            Format::Github => briefing::machine::Format::Github,
        },
        styled,
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    // Commands that write files say that a failure wrote nothing.
    let writes = matches!(
        cli.command,
        Command::Build { .. }
            | Command::Pdf { .. }
            | Command::Chart {
                output: Some(_),
                ..
            }
    );
    match run(cli.command, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e, out, writes),
    }
}

/// Reports `e` and gives its exit code: 1 for mistakes in the briefing, 2
/// for the rest.
fn fail(e: &briefing::Error, out: Out, writes: bool) -> ExitCode {
    let in_briefing = matches!(e, briefing::Error::Input(_) | briefing::Error::Strict(_));
    if let briefing::Error::Input(ds) | briefing::Error::Strict(ds) = e {
        out.diagnostics(&ds.0);
    }
    let mut msg = format!("error: {e}");
    if writes && in_briefing {
        msg.push_str("; nothing was written");
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(&format!(": {s}"));
        source = s.source();
    }
    if !in_briefing && !out.human() {
        // A failure that is no diagnostic, in the same form for programs.
        let d = briefing::Diagnostic::error(
            match e {
                briefing::Error::UnsafeOutput { .. } => "unsafe-output",
                _ => "io",
            },
            msg.trim_start_matches("error: "),
        );
        out.diagnostics(&[d]);
    }
    eprintln!("{}", briefing::diagnostic::for_terminal(&msg));
    ExitCode::from(if in_briefing { 1 } else { 2 })
}

/// From how many files an old output is removed by a process of its own.
const REMOVE_IN_BACKGROUND_FROM: usize = 200;

/// Removes the old output after the build, off its critical path: a
/// process of its own (this program again) takes over the folder, and this
/// one exits at once. (Should another build start before that process has
/// locked the folder, the other build removes it; either way it goes.) If
/// it cannot be started, the folder is removed here and now.
fn remove_in_background(retired: &std::path::Path) {
    use std::process::{Command, Stdio};
    let mut command = match std::env::current_exe() {
        Ok(exe) => Command::new(exe),
        Err(_) => return remove_now(retired),
    };
    command
        .arg("__remove-retired")
        .arg(retired)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        // Not stopped by the terminal's Ctrl-C meant for the next command.
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    if command.spawn().is_err() {
        remove_now(retired);
    }
}

fn remove_now(retired: &std::path::Path) {
    let _ = briefing::write::remove_retired(retired, briefing::write::Wait::Yes);
}

fn run(command: Command, out: Out) -> Result<(), briefing::Error> {
    match command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            strict,
            no_pdf,
            delete_existing_output,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let options = briefing::BuildOptions {
                root,
                output,
                base_url,
                drafts,
                strict,
                pdf: !no_pdf,
                spill_above: briefing::bodies::spill_threshold(),
                verbose: out.verbose,
                delete_existing_output,
            };
            let report = briefing::build(&options)?;
            if let Some(retired) = &report.written.retired {
                // Starting the remover costs about 2 ms (an exec and a
                // handshake); removing a few thousand files costs less.
                if report.written.files < REMOVE_IN_BACKGROUND_FROM {
                    remove_now(retired);
                } else {
                    remove_in_background(retired);
                }
            }
            out.diagnostics(&report.warnings);
            if let Some(relations) = &report.relations {
                eprint!("{relations}");
            }
            out.done(format_args!(
                "built {} and {} into {} ({} files, {} KiB) in {} ms",
                briefing::error::count(report.pages, "page"),
                briefing::error::count(report.sections, "section"),
                report.written.path.display(),
                report.written.files,
                report.written.bytes.div_ceil(1024),
                report.elapsed.as_millis()
            ));
            Ok(())
        }
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            open,
            allow_hosts,
        } => briefing::serve::serve(&briefing::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
            open,
            allow_hosts,
        }),
        Command::Pdf {
            root,
            output,
            language,
            drafts,
        } => {
            let (path, typeset) = briefing::pdf_file(&root, output, language.as_deref(), drafts)?;
            out.diagnostics(&typeset.warnings);
            out.done(format_args!(
                "typeset the PDF edition into {} ({} KiB)",
                path.display(),
                typeset.bytes.len().div_ceil(1024)
            ));
            Ok(())
        }
        Command::Init { dir } => {
            let files = briefing::init::init(&dir)?;
            let mut made = format!(
                "created a briefing in {} ({}):",
                dir.display(),
                briefing::error::count(files.len(), "file")
            );
            for file in &files {
                let shown = file.strip_prefix(&dir).unwrap_or(file);
                made.push_str(&format!("\n  {}", shown.display()));
            }
            out.done(format_args!(
                "{made}\npreview it, rebuilt on every save: briefing serve --root {dir} --open\nwrite the site into {dir}/public: briefing build --root {dir}\nthe manual: docs/ in briefing's source, built with `briefing build --root docs`",
                dir = dir.display()
            ));
            Ok(())
        }
        Command::Chart { id, root, output } => {
            let svg = briefing::chart_svg(&root, &id)?;
            match output {
                Some(path) => {
                    briefing::write::write_file(&path, svg.as_bytes())?;
                    out.done(format_args!("drew chart `{id}` into {}", path.display()));
                }
                None => print!("{svg}"),
            }
            Ok(())
        }
        Command::Templates { root, names } => {
            let done = briefing::eject::eject(&root, &names)?;
            for path in &done.written {
                eprintln!("wrote {}", path.display());
            }
            for path in &done.kept {
                eprintln!(
                    "kept {} (it exists; nothing was overwritten)",
                    path.display()
                );
            }
            eprintln!(
                "each file of templates/ replaces the theme's file of the same name; edit what you want to change and delete the rest"
            );
            Ok(())
        }
        Command::RemoveRetired { path } => {
            let is_retired = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.') && n.contains(".briefing-trash-"));
            if is_retired {
                briefing::write::remove_retired(&path, briefing::write::Wait::Yes)
                    .map_err(briefing::Error::io("cannot remove", &path))?;
            }
            Ok(())
        }
        Command::Check {
            root,
            drafts,
            strict,
            external,
        } => {
            let report = briefing::check(&briefing::CheckOptions {
                root,
                drafts,
                strict,
                external,
            })?;
            if out.human() && !out.quiet {
                print!("{}", report.summary);
            }
            if external && out.human() {
                println!("{} external URLs:", report.external.len());
                for (url, pages) in &report.external {
                    println!("  {url}\n    on {}", pages.join(", "));
                }
            }
            out.diagnostics(&report.warnings);
            out.done(format_args!(
                "checked {} and {}: no errors, {}",
                briefing::error::count(report.pages, "page"),
                briefing::error::count(report.links, "internal link"),
                briefing::error::count(report.warnings.len(), "warning")
            ));
            Ok(())
        }
    }
}
