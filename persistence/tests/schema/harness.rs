//! A small stand-in for libtest's runner, for the one thing `#[test]` cannot
//! do: decide when the binary starts that a test is ignored. The PostgreSQL
//! checks are ignored (and say why) when `TEST_DATABASE_URL` is not set, run
//! when it is, and never pass without having run. A compile-time switch would
//! rebuild the crate and everything above it whenever the variable changes.
//!
//! It prints what libtest prints (`test NAME ... ok`, the `test result:`
//! line, exit code 101 on failure) and takes the options cargo, nextest and
//! editors pass: name filters, `--exact`, `--skip`, `--ignored`,
//! `--include-ignored`, `--list`, `--format pretty|terse`, `-q`; output is
//! never captured, so `--nocapture`, `--show-output`, `--test-threads` and
//! `--color` are accepted and change nothing. Tests run one after another.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

/// One test: a name, why it is ignored now (if it is) and what it runs.
pub struct Trial {
    pub name: &'static str,
    pub ignored: Option<String>,
    pub run: fn() -> Result<(), String>,
}

impl Trial {
    pub fn test(name: &'static str, run: fn() -> Result<(), String>) -> Trial {
        Trial { name, ignored: None, run }
    }

    /// Ignored, with `reason`, when `ignore` holds.
    pub fn ignored_if(self, ignore: bool, reason: &str) -> Trial {
        Trial { ignored: ignore.then(|| reason.to_owned()), ..self }
    }
}

#[derive(Default)]
struct Args {
    filters: Vec<String>,
    skip: Vec<String>,
    exact: bool,
    ignored: bool,
    include_ignored: bool,
    list: bool,
    terse: bool,
}

impl Args {
    fn parse(mut it: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
        let mut a = Args::default();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ => (arg.clone(), None),
            };
            let mut value = |name: &str| inline.clone().or_else(|| it.next()).ok_or(format!("{name} needs a value"));
            match flag.as_str() {
                "-h" | "--help" => return Ok(None),
                "--exact" => a.exact = true,
                "--ignored" => a.ignored = true,
                "--include-ignored" => a.include_ignored = true,
                "--list" => a.list = true,
                "-q" | "--quiet" => a.terse = true,
                "--nocapture" | "--no-capture" | "--show-output" => {}
                "--skip" => a.skip.push(value("--skip")?),
                "--test-threads" | "--color" => {
                    value(&flag)?;
                }
                "--format" => match value("--format")?.as_str() {
                    "pretty" => a.terse = false,
                    "terse" => a.terse = true,
                    other => return Err(format!("--format {other} is not supported here (pretty or terse)")),
                },
                f if f.starts_with('-') => return Err(format!("unsupported option {f}")),
                _ => a.filters.push(arg),
            }
        }
        Ok(Some(a))
    }

    fn matches(&self, pattern: &str, name: &str) -> bool {
        if self.exact {
            name == pattern
        } else {
            name.contains(pattern)
        }
    }

    fn selects(&self, name: &str) -> bool {
        (self.filters.is_empty() || self.filters.iter().any(|f| self.matches(f, name)))
            && !self.skip.iter().any(|s| self.matches(s, name))
    }
}

/// Runs the trials the command line selects, as libtest would.
pub fn run(trials: Vec<Trial>) -> ExitCode {
    let args = match Args::parse(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("usage: [FILTER...] [--exact] [--skip NAME] [--ignored | --include-ignored] [--list] [-q]");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(101);
        }
    };
    let total = trials.len();
    let selected: Vec<Trial> =
        trials.into_iter().filter(|t| args.selects(t.name) && (!args.ignored || t.ignored.is_some())).collect();
    let filtered_out = total - selected.len();

    if args.list {
        for t in &selected {
            println!("{}: test", t.name);
        }
        if !args.terse {
            println!("\n{} tests, 0 benchmarks", selected.len());
        }
        return ExitCode::SUCCESS;
    }

    let started = Instant::now();
    let (mut passed, mut ignored) = (0, 0);
    let mut failures = Vec::new();
    println!("\nrunning {} test{}", selected.len(), if selected.len() == 1 { "" } else { "s" });
    for t in &selected {
        let skip = if args.ignored || args.include_ignored { None } else { t.ignored.as_deref() };
        if !args.terse {
            print!("test {} ... ", t.name);
            let _ = std::io::stdout().flush();
        }
        let (long, short) = match skip {
            Some(reason) => {
                ignored += 1;
                (format!("ignored, {reason}"), 'i')
            }
            None => match std::panic::catch_unwind(t.run) {
                Ok(Ok(())) => {
                    passed += 1;
                    ("ok".to_owned(), '.')
                }
                Ok(Err(message)) => {
                    failures.push((t.name, message));
                    ("FAILED".to_owned(), 'F')
                }
                Err(_) => {
                    failures.push((t.name, "panicked (see above)".to_owned()));
                    ("FAILED".to_owned(), 'F')
                }
            },
        };
        if args.terse {
            print!("{short}");
            let _ = std::io::stdout().flush();
        } else {
            println!("{long}");
        }
    }
    if args.terse {
        println!();
    }
    if !failures.is_empty() {
        println!("\nfailures:\n");
        for (name, message) in &failures {
            println!("---- {name} ----\n{message}\n");
        }
        println!("\nfailures:");
        for (name, _) in &failures {
            println!("    {name}");
        }
    }
    println!(
        "\ntest result: {}. {passed} passed; {} failed; {ignored} ignored; 0 measured; {filtered_out} filtered out; finished in {:.2}s\n",
        if failures.is_empty() { "ok" } else { "FAILED" },
        failures.len(),
        started.elapsed().as_secs_f64(),
    );
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(101)
    }
}
