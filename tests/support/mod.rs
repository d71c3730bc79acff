//! Helpers shared by the integration tests: the shipped intents, temporary
//! intent folders, and the real `ir-advisor` binary.
#![allow(dead_code)] // each test crate uses its own share of these

pub mod fake_bot_api;
pub mod running_bot;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::NaiveDate;
use ir_advisor::check::load_folder;
use ir_advisor::intents::IntentSet;

/// The day the tests pretend it is, so `reviewed` dates never go stale.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

pub fn shipped_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("intents")
}

pub fn data_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn shipped_intents() -> IntentSet {
    load_folder(&shipped_folder(), chrono::Local::now().date_naive())
        .expect("the shipped intents load")
}

/// A small valid intent file whose patterns are `patterns` in both
/// languages and whose `related` ids are `related`.
pub fn intent_toml(patterns: &[&str], related: &[&str]) -> String {
    let list = |items: &[&str]| {
        items
            .iter()
            .map(|p| format!("{p:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "topic = \"about\"\nsources = []\nrelated = [{}]\n\n[en]\ntitle = \"T\"\npatterns = [{}]\nanswer = \"An answer.\"\n\n[id]\ntitle = \"T\"\npatterns = [{}]\nanswer = \"Jawaban.\"\n",
        list(related),
        list(patterns),
        list(patterns)
    )
}

/// A temporary intents folder holding `files` (name, content).
pub fn intent_folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// The real binary about to run the bot on the shipped intents, from
/// `dir` (where it writes its data), with the tests' token and in-memory
/// chat state; each test adds where the Bot API is.
pub fn bot_binary(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ir-advisor"));
    command
        .args(["run", "--intents", shipped_folder().to_str().unwrap()])
        .current_dir(dir)
        .env("TELOXIDE_TOKEN", running_bot::TOKEN)
        .env("IR_ADVISOR_DB", ir_advisor::storage::IN_MEMORY)
        .stdin(Stdio::null());
    command
}

/// The real binary with `args`, to run from the crate root on the shipped
/// intents.
pub fn cli_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ir-advisor"));
    command
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("IR_ADVISOR_INTENTS");
    command
}

/// Runs the real binary with `args`, feeding `stdin`, from the crate root.
pub fn run_cli(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = cli_command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A copy of the shipped intents folder (lexicons included) to edit.
pub fn copy_of_shipped() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    copy_folder(&shipped_folder(), copy.path());
    copy
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
