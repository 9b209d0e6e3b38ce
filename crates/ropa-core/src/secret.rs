//! Secrets that must not outlive their use: the passphrase a person types and the key derived
//! from it. Both wipe their memory when dropped and never print their contents.

use std::fmt;
use zeroize::{Zeroize, Zeroizing};

/// A passphrase as typed. Its buffer is zeroized on drop; `Debug` never shows it.
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    pub fn new(mut text: String) -> Self {
        // Strip one trailing newline, as a passphrase file or a piped `echo` adds one.
        if text.ends_with('\n') {
            text.pop();
            if text.ends_with('\r') {
                text.pop();
            }
        }
        Passphrase(Zeroizing::new(text))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Passphrase {
    fn from(text: &str) -> Self {
        Passphrase::new(text.to_owned())
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// 32 bytes of key material, zeroized on drop.
#[derive(Clone, Zeroize)]
#[zeroize(drop)]
pub struct Key(pub(crate) [u8; 32]);

impl Key {
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(…)")
    }
}
