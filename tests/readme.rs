//! The README works as written: its example conversation is what `chat`
//! says, every command-line example that needs no token runs, and every
//! variable it names is one the program reads.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use support::{run_cli, text};

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The lines of the fenced block that follows the HTML comment `marker`.
fn block_after(readme: &str, marker: &str) -> Vec<String> {
    let start = readme
        .find(marker)
        .unwrap_or_else(|| panic!("README has no {marker}"));
    readme[start..]
        .lines()
        .skip_while(|line| !line.starts_with("```"))
        .skip(1)
        .take_while(|line| !line.starts_with("```"))
        .map(str::to_owned)
        .collect()
}

/// The example conversation: `> question` lines, each followed by lines of
/// the reply, or `…` where the README leaves some out.
#[test]
fn the_example_conversation_is_what_chat_says() {
    let lines = block_after(&readme(), "<!-- example conversation -->");
    let mut exchanges: Vec<(String, Vec<String>)> = Vec::new();
    for line in lines {
        match line.strip_prefix("> ") {
            Some(question) => exchanges.push((question.to_owned(), Vec::new())),
            None => exchanges
                .last_mut()
                .expect("the block starts with a question")
                .1
                .push(line),
        }
    }
    assert!(exchanges.len() >= 3, "a few exchanges: {exchanges:?}");
    for (question, shown) in exchanges {
        let output = run_cli(&["chat"], format!("{question}\n").as_bytes());
        assert!(output.status.success(), "{}", text(&output.stderr));
        let said = text(&output.stdout);
        // Each shown line appears in the reply, in order.
        let mut rest = said.as_str();
        for line in shown
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty() && *l != "…")
        {
            let at = rest.find(line).unwrap_or_else(|| {
                panic!("README shows {line:?} for {question:?}, but chat said:\n{said}")
            });
            rest = &rest[at + line.len()..];
        }
    }
}

/// Every line of the tested command-line block runs, with `ir-advisor`
/// being the binary just built, and succeeds.
#[test]
fn the_command_line_examples_run() {
    let examples = block_after(&readme(), "<!-- command-line examples -->");
    let binary = Path::new(env!("CARGO_BIN_EXE_ir-advisor"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for example in examples.iter().map(|l| l.trim()) {
        let command = example.split(" #").next().unwrap().trim();
        if command.is_empty() || command.starts_with('#') {
            continue;
        }
        let output = Command::new("bash")
            .args(["-o", "pipefail", "-c", command])
            .env("PATH", &path)
            .env_remove("TELOXIDE_TOKEN")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "README example `{command}` failed:\n{}{}",
            text(&output.stdout),
            text(&output.stderr)
        );
        assert!(!output.stdout.is_empty(), "`{command}` printed nothing");
        ran += 1;
    }
    assert!(ran >= 5, "the README shows the main commands ({ran} ran)");
}

/// Every `IR_ADVISOR_*` or `TELOXIDE_*` variable the README names is read
/// by the program and listed in `.env.example`.
#[test]
fn every_variable_the_readme_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources = String::new();
    let mut folders = vec![root.join("src")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
    }
    let example = std::fs::read_to_string(root.join(".env.example")).unwrap();
    let readme = readme();
    let mut names: Vec<&str> = readme
        .match_indices(['I', 'T'])
        .filter_map(|(at, _)| {
            let rest = &readme[at..];
            ["IR_ADVISOR_", "TELOXIDE_"]
                .iter()
                .any(|prefix| rest.starts_with(prefix))
                .then(|| {
                    let end = rest
                        .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
                        .unwrap_or(rest.len());
                    &rest[..end]
                })
        })
        .filter(|name| !name.ends_with('_'))
        .collect();
    names.sort();
    names.dedup();
    assert!(names.len() >= 5, "{names:?}");
    for name in names {
        assert!(
            sources.contains(&format!("\"{name}\"")),
            "README names {name}, which no source file reads"
        );
        assert!(
            example.contains(name),
            "README names {name}, missing from .env.example"
        );
    }
}
