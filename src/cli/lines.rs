//! Reading questions line by line from any input, interactive or piped.

use std::io::{self, BufRead};

/// Calls `handle` with each line of `input` (without its line ending).
/// A line that is not valid UTF-8 gets a clear error on stderr and is
/// skipped; the lines after it are still read.
pub fn for_each_line(
    mut input: impl BufRead,
    mut handle: impl FnMut(&str) -> io::Result<()>,
) -> io::Result<()> {
    let mut buffer = Vec::new();
    let mut number = 0;
    loop {
        buffer.clear();
        if input.read_until(b'\n', &mut buffer)? == 0 {
            return Ok(());
        }
        number += 1;
        match std::str::from_utf8(&buffer) {
            Ok(line) => handle(line.trim_end_matches(['\n', '\r']))?,
            Err(_) => eprintln!("error: line {number} is not valid UTF-8 text; skipped"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_invalid_utf8_and_keeps_reading() {
        let input: &[u8] = b"first\r\n\xff\xfe bad\nlast";
        let mut seen = Vec::new();
        for_each_line(input, |line| {
            seen.push(line.to_owned());
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, ["first", "last"]);
    }
}
