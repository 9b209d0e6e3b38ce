//! How one temporary file is kept encrypted: which keystream each byte was written with.
//!
//! SQLite reads and writes a temporary file at any offset and length, and writes some places
//! more than once (a statement journal is reused from its start, a temporary database rewrites
//! its pages). A stream cipher must never encrypt two different contents with the same
//! keystream bytes, or the two ciphertexts together give away the two plaintexts. So the file is
//! cut into blocks of [`BLOCK`] bytes, and each block is encrypted with a keystream of its own:
//! ChaCha20 under the file's key with the block's *generation* as nonce, at the byte's place in
//! the block. A generation is used by one block only, and a block takes a new one whenever a
//! write would put new bytes where the old generation was already used. Bytes after the
//! written ones are encrypted with the block's generation as they come, since its keystream
//! there is still unused.
//!
//! A block remembers its generation and the one run of bytes written in it (`lo..hi`); bytes
//! outside the run read as zero, as never-written bytes of a file do. A write that would leave
//! a gap in the run writes zeros into the gap.
//!
//! Should the file underneath fail a write after the bookkeeping has changed, the bookkeeping
//! no longer matches the file, and the seal refuses every later read, write and cut of it: SQLite
//! gives the file up rather than read wrong bytes.

use chacha20::ChaCha20;
use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use zeroize::Zeroizing;

/// The bytes of a block.
pub(crate) const BLOCK: u64 = 4096;

/// A SQLite result code, from the file underneath or for a file that cannot go on.
pub(crate) type Code = i32;

/// The file underneath, read and written at byte offsets.
pub(crate) trait Backing {
    /// Reads `buf.len()` bytes at `offset`. Bytes past the file's end may be anything.
    fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<(), Code>;
    fn write(&mut self, buf: &[u8], offset: u64) -> Result<(), Code>;
    fn truncate(&mut self, size: u64) -> Result<(), Code>;
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Block {
    /// 0 while nothing is written in the block.
    generation: u64,
    /// The run of written bytes, as offsets in the block.
    lo: u16,
    hi: u16,
}

/// What one write does to one block.
#[derive(Clone, Copy, Debug)]
struct Step {
    /// The block after the write.
    after: Block,
    /// The written bytes of the block that must be read and decrypted first, because the new
    /// generation covers them too: `(block before, lo, hi)`.
    keep: Option<(Block, u16, u16)>,
    /// The block's physical bytes the write covers: its new bytes, and zeros or kept bytes.
    from: u16,
    to: u16,
}

/// One temporary file's key and keystream bookkeeping.
pub(crate) struct Seal {
    key: Zeroizing<[u8; 32]>,
    last_generation: u64,
    blocks: Vec<Block>,
    /// A write to the file failed after the blocks were changed for it.
    poisoned: bool,
    /// Every `(generation, offset in block)` whose keystream has encrypted a byte.
    #[cfg(test)]
    used: std::collections::HashSet<(u64, u16)>,
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Seal").field("blocks", &self.blocks.len()).finish_non_exhaustive()
    }
}

/// SQLite's code for a full disk: no generation is left for the file.
const SQLITE_FULL: Code = 13;
/// SQLite's code for an I/O error: the file is poisoned.
const SQLITE_IOERR: Code = 10;

impl Seal {
    /// A seal with a new random key, which exists only in this process's memory.
    pub(crate) fn new() -> Result<Seal, getrandom::Error> {
        let mut key = Zeroizing::new([0u8; 32]);
        getrandom::fill(key.as_mut())?;
        Ok(Seal {
            key,
            last_generation: 0,
            blocks: Vec::new(),
            poisoned: false,
            #[cfg(test)]
            used: Default::default(),
        })
    }

    fn block(&self, index: u64) -> Block {
        usize::try_from(index).ok().and_then(|i| self.blocks.get(i)).copied().unwrap_or_default()
    }

    fn set_block(&mut self, index: u64, block: Block) {
        let i = usize::try_from(index).expect("a block index of a file that was written fits in memory");
        if i >= self.blocks.len() {
            if block == Block::default() {
                return;
            }
            self.blocks.resize(i + 1, Block::default());
        }
        self.blocks[i] = block;
    }

    fn next_generation(&mut self) -> Result<u64, Code> {
        self.last_generation = self.last_generation.checked_add(1).ok_or(SQLITE_FULL)?;
        Ok(self.last_generation)
    }

    /// XORs `buf` with the keystream of `generation` from `offset` in its block.
    fn apply(&self, generation: u64, offset: u16, buf: &mut [u8]) {
        let mut nonce = [0u8; 12];
        nonce[..8].copy_from_slice(&generation.to_le_bytes());
        let mut cipher = ChaCha20::new((&*self.key).into(), &nonce.into());
        cipher.seek(u64::from(offset));
        cipher.apply_keystream(buf);
    }

    /// Encrypts `buf`, noting its keystream as used.
    fn encrypt(&mut self, generation: u64, offset: u16, buf: &mut [u8]) {
        #[cfg(test)]
        for i in 0..buf.len() {
            let at = (generation, offset + i as u16);
            assert!(self.used.insert(at), "keystream {at:?} used twice");
        }
        self.apply(generation, offset, buf);
    }

    /// Plans a write of the bytes `s..e` of a block.
    fn plan(&mut self, block: Block, s: u16, e: u16) -> Result<Step, Code> {
        let Block { generation, lo, hi } = block;
        Ok(if generation == 0 {
            Step { after: Block { generation: self.next_generation()?, lo: s, hi: e }, keep: None, from: s, to: e }
        } else if s >= hi {
            // After the run: its keystream from `hi` on is unused; zeros fill any gap.
            Step { after: Block { generation, lo, hi: e }, keep: None, from: hi, to: e }
        } else if e <= lo {
            Step { after: Block { generation, lo: s, hi }, keep: None, from: s, to: lo }
        } else {
            let (from, to) = (s.min(lo), e.max(hi));
            let keep = (lo < s || hi > e).then_some((block, lo, hi));
            Step { after: Block { generation: self.next_generation()?, lo: from, hi: to }, keep, from, to }
        })
    }

    /// Encrypts `data` and writes it at `offset`.
    pub(crate) fn write(&mut self, file: &mut impl Backing, data: &[u8], offset: u64) -> Result<(), Code> {
        if self.poisoned {
            return Err(SQLITE_IOERR);
        }
        if data.is_empty() {
            return Ok(());
        }
        let end = offset + data.len() as u64;
        let (first, last) = (offset / BLOCK, (end - 1) / BLOCK);
        let mut steps = Vec::with_capacity((last - first + 1) as usize);
        for index in first..=last {
            let base = index * BLOCK;
            let s = (offset.max(base) - base) as u16;
            let e = (end.min(base + BLOCK) - base) as u16;
            steps.push((index, s, e, self.plan(self.block(index), s, e)?));
        }
        // The steps' physical bytes are one run: only the first block may start after its 0, and
        // only the last may end before its BLOCK.
        let start = first * BLOCK + u64::from(steps[0].3.from);
        let stop = last * BLOCK + u64::from(steps[steps.len() - 1].3.to);
        let mut buf = Zeroizing::new(vec![0u8; (stop - start) as usize]);
        let at = (offset - start) as usize;
        buf[at..at + data.len()].copy_from_slice(data);
        for &(index, s, e, step) in &steps {
            if let Some((before, lo, hi)) = step.keep {
                let mut old = Zeroizing::new(vec![0u8; usize::from(hi - lo)]);
                file.read(&mut old, index * BLOCK + u64::from(lo))?;
                self.apply(before.generation, lo, &mut old);
                for (i, byte) in old.iter().enumerate() {
                    let pos = lo + i as u16;
                    if pos < s || pos >= e {
                        buf[(index * BLOCK + u64::from(pos) - start) as usize] = *byte;
                    }
                }
            }
        }
        for &(index, _, _, step) in &steps {
            let from = (index * BLOCK + u64::from(step.from) - start) as usize;
            let to = (index * BLOCK + u64::from(step.to) - start) as usize;
            self.encrypt(step.after.generation, step.from, &mut buf[from..to]);
            // Noted before the write: should it fail, its keystream still counts as used.
            self.set_block(index, step.after);
        }
        file.write(&buf, start).inspect_err(|_| self.poisoned = true)
    }

    /// Decrypts `buf`, read from the file at `offset`; bytes never written become zero.
    pub(crate) fn decrypt(&self, buf: &mut [u8], offset: u64) -> Result<(), Code> {
        if self.poisoned {
            return Err(SQLITE_IOERR);
        }
        let mut at = 0usize;
        while at < buf.len() {
            let pos = offset + at as u64;
            let (index, in_block) = (pos / BLOCK, (pos % BLOCK) as u16);
            let len = (BLOCK as usize - usize::from(in_block)).min(buf.len() - at);
            let piece = &mut buf[at..at + len];
            let Block { generation, lo, hi } = self.block(index);
            let (s, e) = (in_block, in_block + len as u16);
            let (from, to) = (s.max(lo), e.min(hi));
            if generation == 0 || from >= to {
                piece.fill(0);
            } else {
                piece[..usize::from(from - s)].fill(0);
                piece[usize::from(to - s)..].fill(0);
                self.apply(generation, from, &mut piece[usize::from(from - s)..usize::from(to - s)]);
            }
            at += len;
        }
        Ok(())
    }

    /// Cuts the file to `size` bytes. The block the cut falls in is re-encrypted with a new
    /// generation, so that bytes written after the cut do not reuse the keystream of the cut-off
    /// ones.
    pub(crate) fn truncate(&mut self, file: &mut impl Backing, size: u64) -> Result<(), Code> {
        if self.poisoned {
            return Err(SQLITE_IOERR);
        }
        let (index, cut) = (size / BLOCK, (size % BLOCK) as u16);
        let block = self.block(index);
        // The bytes the cut block keeps, read before the file is cut.
        let mut kept = None;
        if cut > 0 && block.generation != 0 && block.hi > cut && block.lo < cut {
            let mut bytes = Zeroizing::new(vec![0u8; usize::from(cut - block.lo)]);
            file.read(&mut bytes, index * BLOCK + u64::from(block.lo))?;
            self.apply(block.generation, block.lo, &mut bytes);
            kept = Some((bytes, self.next_generation()?));
        }
        file.truncate(size)?;
        if cut > 0 && block.generation != 0 && block.hi > cut {
            match kept {
                None => self.set_block(index, Block::default()),
                Some((mut bytes, generation)) => {
                    let after = Block { generation, lo: block.lo, hi: cut };
                    self.encrypt(after.generation, after.lo, &mut bytes);
                    self.set_block(index, after);
                    file.write(&bytes, index * BLOCK + u64::from(after.lo)).inspect_err(|_| self.poisoned = true)?;
                }
            }
        }
        let keep = if cut > 0 { index + 1 } else { index };
        if let Ok(keep) = usize::try_from(keep) {
            self.blocks.truncate(keep);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file in memory.
    #[derive(Default)]
    struct Memory(Vec<u8>);

    /// A file in memory whose writes or cuts fail while `failing` is set.
    #[derive(Default)]
    struct Failing {
        file: Memory,
        failing: bool,
    }

    impl Backing for Failing {
        fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<(), Code> {
            self.file.read(buf, offset)
        }
        fn write(&mut self, buf: &[u8], offset: u64) -> Result<(), Code> {
            if self.failing { Err(SQLITE_IOERR) } else { self.file.write(buf, offset) }
        }
        fn truncate(&mut self, size: u64) -> Result<(), Code> {
            if self.failing { Err(SQLITE_IOERR) } else { self.file.truncate(size) }
        }
    }

    impl Backing for Memory {
        fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<(), Code> {
            for (i, b) in buf.iter_mut().enumerate() {
                *b = self.0.get(offset as usize + i).copied().unwrap_or(0);
            }
            Ok(())
        }
        fn write(&mut self, buf: &[u8], offset: u64) -> Result<(), Code> {
            let end = offset as usize + buf.len();
            if self.0.len() < end {
                self.0.resize(end, 0);
            }
            self.0[offset as usize..end].copy_from_slice(buf);
            Ok(())
        }
        fn truncate(&mut self, size: u64) -> Result<(), Code> {
            self.0.resize(size as usize, 0);
            Ok(())
        }
    }

    /// xorshift64*: the same sequence on every run.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn read(seal: &Seal, file: &mut Memory, offset: u64, len: usize) -> Vec<u8> {
        let mut buf = vec![0xAA; len];
        file.read(&mut buf, offset).expect("read");
        seal.decrypt(&mut buf, offset).expect("decrypt");
        buf
    }

    /// Random writes, rewrites, gaps and cuts read back as a plain file would, and no keystream
    /// byte encrypts twice (`Seal::encrypt` asserts it).
    #[test]
    fn reads_back_what_a_plain_file_would_hold() {
        for seed in 1..=16u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut seal = Seal::new().expect("key");
            let (mut file, mut plain) = (Memory::default(), Vec::<u8>::new());
            for _ in 0..200 {
                let span = 3 * BLOCK;
                match rng.below(10) {
                    0 => {
                        let size = rng.below(span);
                        seal.truncate(&mut file, size).expect("truncate");
                        plain.resize(size as usize, 0);
                    }
                    1..=6 => {
                        let offset = rng.below(span);
                        let most = if rng.below(4) == 0 { 2 * BLOCK } else { 64 };
                        let len = 1 + rng.below(most) as usize;
                        let data: Vec<u8> = (0..len).map(|_| 1 + rng.below(255) as u8).collect();
                        seal.write(&mut file, &data, offset).expect("write");
                        let end = offset as usize + len;
                        if plain.len() < end {
                            plain.resize(end, 0);
                        }
                        plain[offset as usize..end].copy_from_slice(&data);
                    }
                    _ => {
                        let offset = rng.below(span);
                        let len = rng.below(2 * BLOCK) as usize;
                        let mut want = vec![0u8; len];
                        for (i, b) in want.iter_mut().enumerate() {
                            *b = plain.get(offset as usize + i).copied().unwrap_or(0);
                        }
                        assert_eq!(read(&seal, &mut file, offset, len), want, "seed {seed}, read at {offset}");
                    }
                }
                assert_eq!(file.0.len(), plain.len(), "the file is as long as the plain one");
            }
            assert_eq!(read(&seal, &mut file, 0, plain.len()), plain, "seed {seed}, whole file");
        }
    }

    /// Appends in pieces that straddle blocks, as SQLite's sorter writes, keep one generation
    /// per block and read back whole.
    #[test]
    fn appends_keep_their_block_generation() {
        let mut seal = Seal::new().expect("key");
        let mut file = Memory::default();
        let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8 + 1).collect();
        let mut at = 0;
        for len in [100usize, 4000, 4096, 1, 5000, 6803] {
            seal.write(&mut file, &data[at..at + len], at as u64).expect("write");
            at += len;
        }
        assert_eq!(at, data.len());
        assert_eq!(read(&seal, &mut file, 0, data.len()), data);
        let generations: Vec<u64> = seal.blocks.iter().map(|b| b.generation).collect();
        assert_eq!(generations, [1, 2, 3, 4, 5], "one generation per block, none taken anew");
    }

    /// What reaches the file is not the data: no run of 8 plaintext bytes is found in it.
    #[test]
    fn the_file_holds_no_plaintext() {
        let mut seal = Seal::new().expect("key");
        let mut file = Memory::default();
        let text: Vec<u8> = b"+4512345678 customer 0042; ".repeat(600);
        seal.write(&mut file, &text, 10).expect("write");
        seal.write(&mut file, &text[..5000], 3000).expect("rewrite");
        assert_eq!(file.0.len(), 10 + text.len());
        assert!(!file.0.windows(8).any(|w| text.windows(8).take(27).any(|t| t == w)));
        // Two seals of the same data differ: each file has a key of its own.
        let mut other = Memory::default();
        Seal::new().expect("key").write(&mut other, &text, 10).expect("write");
        assert_ne!(file.0[10..100], other.0[10..100]);
    }

    /// After a failed write the file no longer matches the seal's blocks: every later read,
    /// write and cut fails rather than return wrong bytes. A failed cut changes nothing.
    #[test]
    fn a_failed_write_poisons_the_file_and_a_failed_cut_changes_nothing() {
        let mut seal = Seal::new().expect("key");
        let mut file = Failing::default();
        seal.write(&mut file, &[7u8; 1000], 0).expect("write");
        file.failing = true;
        assert_eq!(seal.truncate(&mut file, 500), Err(SQLITE_IOERR));
        file.failing = false;
        let mut buf = vec![0u8; 1000];
        file.read(&mut buf, 0).expect("read");
        seal.decrypt(&mut buf, 0).expect("a failed cut leaves the file readable");
        assert_eq!(buf, [7u8; 1000]);

        file.failing = true;
        assert_eq!(seal.write(&mut file, &[9u8; 100], 100), Err(SQLITE_IOERR));
        file.failing = false;
        file.read(&mut buf, 0).expect("read");
        assert_eq!(seal.decrypt(&mut buf, 0), Err(SQLITE_IOERR));
        assert_eq!(seal.write(&mut file, &[1u8; 10], 2000), Err(SQLITE_IOERR));
        assert_eq!(seal.truncate(&mut file, 0), Err(SQLITE_IOERR));
    }

    /// A cut block's remaining bytes take a new generation; bytes written after the cut then
    /// use that generation's keystream, not the cut-off bytes'.
    #[test]
    fn a_cut_block_takes_a_new_generation() {
        let mut seal = Seal::new().expect("key");
        let mut file = Memory::default();
        seal.write(&mut file, &[7u8; 3000], 0).expect("write");
        seal.truncate(&mut file, 1000).expect("cut");
        assert_eq!(seal.blocks, [Block { generation: 2, lo: 0, hi: 1000 }]);
        seal.write(&mut file, &[9u8; 500], 1000).expect("write after the cut");
        let mut want = vec![7u8; 1000];
        want.extend([9u8; 500]);
        assert_eq!(read(&seal, &mut file, 0, 1500), want);
        seal.truncate(&mut file, 0).expect("empty");
        assert!(seal.blocks.is_empty());
        assert_eq!(read(&seal, &mut file, 0, 10), [0u8; 10]);
    }
}
