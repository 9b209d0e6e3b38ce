//! The key derivation: a passphrase and the register file's salt become the 256-bit SQLCipher
//! key through Argon2id.
//!
//! The parameters are part of the file format (version 1) rather than stored in the file: the
//! only plaintext in a SQLCipher file is its 16-byte salt, and a register must not reveal more.
//! Changing them later means a new format version that tries both on unlock.

use crate::secret::{Key, Passphrase};
use argon2::{Algorithm, Argon2, Params, Version};

/// Memory cost in KiB: 64 MiB, which makes each guess cost an attacker real memory.
pub const MEMORY_KIB: u32 = 64 * 1024;
/// Passes over the memory; 7 lands at roughly 0.35–0.4 s on this 2-core machine (see
/// `cargo bench -p ropa-core`).
pub const ITERATIONS: u32 = 7;
/// Lanes. One, so that the time does not depend on how many cores the machine has.
pub const LANES: u32 = 1;
/// Length of the salt, fixed by SQLCipher (the first 16 bytes of the file).
pub const SALT_LEN: usize = 16;

/// Derives the register key. Fails only if the parameters above are invalid, which a test rules
/// out; the error is still returned rather than panicking.
pub fn derive_key(passphrase: &Passphrase, salt: &[u8; SALT_LEN]) -> Result<Key, argon2::Error> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, Some(32))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut key = Key([0u8; 32]);
    argon.hash_password_into(passphrase.expose().as_bytes(), salt, &mut key.0)?;
    Ok(key)
}

/// A fresh random salt for a new register file.
pub fn new_salt() -> Result<[u8; SALT_LEN], getrandom::Error> {
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt)?;
    Ok(salt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_passphrase_and_salt_give_the_same_key_and_others_differ() {
        let salt = [7u8; SALT_LEN];
        let a = derive_key(&Passphrase::from("korrekt hest batteri"), &salt).expect("derive");
        let b = derive_key(&Passphrase::from("korrekt hest batteri"), &salt).expect("derive");
        let c = derive_key(&Passphrase::from("korrekt hest batteri!"), &salt).expect("derive");
        let d = derive_key(&Passphrase::from("korrekt hest batteri"), &[8u8; SALT_LEN]).expect("derive");
        assert_eq!(a.bytes(), b.bytes());
        assert_ne!(a.bytes(), c.bytes());
        assert_ne!(a.bytes(), d.bytes());
    }
}
