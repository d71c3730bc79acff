//! The shipped `intents/` folder and its matcher, loaded once for the unit
//! tests that ask about real phrasing: building a matcher is most of such a
//! test's time, so every test shares the one built here.

use std::path::Path;
use std::sync::OnceLock;

use crate::intents::{today, IntentSet};
use crate::matcher::Matcher;

/// The shipped intents, as the bot loads them.
pub fn intents() -> &'static IntentSet {
    static INTENTS: OnceLock<IntentSet> = OnceLock::new();
    INTENTS.get_or_init(|| {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("intents");
        crate::check::load_folder(&folder, today()).expect("the shipped intents load")
    })
}

/// The matcher of [`intents`].
pub fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<Matcher> = OnceLock::new();
    MATCHER.get_or_init(|| Matcher::new(intents()))
}
