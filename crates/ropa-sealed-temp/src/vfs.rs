//! The VFS itself: the platform's default VFS, with SQLite's temporary files passed through a
//! [`Seal`]. Every other file, and every other VFS method, goes to the default VFS unchanged.
//!
//! The memory SQLite gives a file (`szOsFile` bytes) holds a [`SealedFile`] and, after it, the
//! default VFS's own file, to which each method forwards.

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::ffi;

use crate::seal::{Backing, Code, Seal};

pub(crate) const NAME: &CStr = c"ropa-sealed-temp";

/// The files SQLite makes for itself and deletes when it closes them.
const TEMPORARY: c_int = ffi::SQLITE_OPEN_TEMP_DB
    | ffi::SQLITE_OPEN_TEMP_JOURNAL
    | ffi::SQLITE_OPEN_TRANSIENT_DB
    | ffi::SQLITE_OPEN_SUBJOURNAL;

pub(crate) static FILES_SEALED: AtomicU64 = AtomicU64::new(0);
pub(crate) static BYTES_SEALED: AtomicU64 = AtomicU64::new(0);

#[repr(C)]
struct SealedFile {
    /// What SQLite sees: the methods below.
    base: ffi::sqlite3_file,
    /// The default VFS's file, in the memory after this struct.
    real: *mut ffi::sqlite3_file,
    /// A temporary file's seal (from `Box::into_raw`); null for every other file.
    seal: *mut Seal,
}

/// Where the default VFS's file starts in the memory of a [`SealedFile`].
const REAL_AT: usize = std::mem::size_of::<SealedFile>().next_multiple_of(16);

/// Registers the VFS, once, without making it the default. An SQLite result code on failure.
pub(crate) fn register() -> Result<(), c_int> {
    // SAFETY: sqlite3_initialize and sqlite3_vfs_find may be called at any time. The default VFS
    // lives as long as the process; the VFS made here is leaked, so it does too, as SQLite
    // requires of a registered VFS.
    unsafe {
        let rc = ffi::sqlite3_initialize();
        if rc != ffi::SQLITE_OK {
            return Err(rc);
        }
        let inner = ffi::sqlite3_vfs_find(ptr::null());
        if inner.is_null() {
            return Err(ffi::SQLITE_ERROR);
        }
        let inner_size = usize::try_from((*inner).szOsFile).map_err(|_| ffi::SQLITE_ERROR)?;
        let vfs = Box::new(ffi::sqlite3_vfs {
            iVersion: (*inner).iVersion.min(3),
            szOsFile: c_int::try_from(REAL_AT + inner_size).map_err(|_| ffi::SQLITE_ERROR)?,
            mxPathname: (*inner).mxPathname,
            pNext: ptr::null_mut(),
            zName: NAME.as_ptr(),
            pAppData: inner.cast(),
            xOpen: Some(x_open),
            xDelete: Some(x_delete),
            xAccess: Some(x_access),
            xFullPathname: Some(x_full_pathname),
            xDlOpen: Some(x_dl_open),
            xDlError: Some(x_dl_error),
            xDlSym: Some(x_dl_sym),
            xDlClose: Some(x_dl_close),
            xRandomness: Some(x_randomness),
            xSleep: Some(x_sleep),
            xCurrentTime: Some(x_current_time),
            xGetLastError: Some(x_get_last_error),
            xCurrentTimeInt64: ((*inner).iVersion >= 2).then_some(x_current_time_int64 as _),
            xSetSystemCall: ((*inner).iVersion >= 3).then_some(x_set_system_call as _),
            xGetSystemCall: ((*inner).iVersion >= 3).then_some(x_get_system_call as _),
            xNextSystemCall: ((*inner).iVersion >= 3).then_some(x_next_system_call as _),
        });
        let rc = ffi::sqlite3_vfs_register(Box::into_raw(vfs), 0);
        if rc != ffi::SQLITE_OK {
            return Err(rc);
        }
    }
    Ok(())
}

/// The default VFS this one wraps.
///
/// # Safety
/// `vfs` is the VFS [`register`] made.
unsafe fn inner(vfs: *mut ffi::sqlite3_vfs) -> *mut ffi::sqlite3_vfs {
    // SAFETY: the caller's promise; its pAppData is the default VFS.
    unsafe { (*vfs).pAppData.cast() }
}

unsafe extern "C" fn x_open(
    vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    // SAFETY: SQLite gives `file` szOsFile bytes for this VFS. Should the open fail before the
    // default VFS's, SQLite must see no methods, or it would close through stale memory.
    unsafe { (*file).pMethods = ptr::null() };
    let temporary = flags & TEMPORARY != 0 || name.is_null();
    let seal = if temporary {
        match Seal::new() {
            Ok(seal) => Some(Box::new(seal)),
            Err(_) => return ffi::SQLITE_CANTOPEN,
        }
    } else {
        None
    };
    // SAFETY: SQLite gives `file` szOsFile bytes, suitably aligned, for this VFS, which is
    // REAL_AT bytes for the SealedFile and then the default VFS's own; `vfs` is ours.
    unsafe {
        let sealed = file.cast::<SealedFile>();
        let real = file.cast::<u8>().add(REAL_AT).cast::<ffi::sqlite3_file>();
        ptr::write(
            sealed,
            SealedFile { base: ffi::sqlite3_file { pMethods: ptr::null() }, real, seal: ptr::null_mut() },
        );
        (*real).pMethods = ptr::null();
        let inner = inner(vfs);
        let Some(open) = (*inner).xOpen else { return ffi::SQLITE_CANTOPEN };
        let rc = open(inner, name, real, flags, out_flags);
        // Once the default VFS has set its methods, SQLite closes the file even when the open
        // failed, and the close must reach the default VFS.
        if !(*real).pMethods.is_null() {
            match seal {
                Some(seal) if rc == ffi::SQLITE_OK => {
                    (*sealed).seal = Box::into_raw(seal);
                    (*sealed).base.pMethods = &SEALED_METHODS;
                    FILES_SEALED.fetch_add(1, Ordering::Relaxed);
                }
                _ => (*sealed).base.pMethods = pass_methods(&*(*real).pMethods),
            }
        }
        rc
    }
}

/// VFS methods that call the default VFS's own, with the default VFS.
macro_rules! forward_vfs {
    ($name:ident, $field:ident, ($($arg:ident: $ty:ty),*) -> $ret:ty, $missing:expr) => {
        unsafe extern "C" fn $name(vfs: *mut ffi::sqlite3_vfs, $($arg: $ty),*) -> $ret {
            // SAFETY: SQLite calls with the VFS `register` made, and the arguments it gives.
            unsafe {
                let inner = inner(vfs);
                match (*inner).$field {
                    Some(f) => f(inner, $($arg),*),
                    None => $missing,
                }
            }
        }
    };
}

forward_vfs!(x_delete, xDelete, (name: *const c_char, sync_dir: c_int) -> c_int, ffi::SQLITE_IOERR_DELETE);
forward_vfs!(x_access, xAccess, (name: *const c_char, flags: c_int, out: *mut c_int) -> c_int, ffi::SQLITE_IOERR_ACCESS);
forward_vfs!(x_full_pathname, xFullPathname, (name: *const c_char, n: c_int, out: *mut c_char) -> c_int, ffi::SQLITE_CANTOPEN);
forward_vfs!(x_dl_open, xDlOpen, (name: *const c_char) -> *mut c_void, ptr::null_mut());
forward_vfs!(x_randomness, xRandomness, (n: c_int, out: *mut c_char) -> c_int, 0);
forward_vfs!(x_sleep, xSleep, (microseconds: c_int) -> c_int, 0);
forward_vfs!(x_current_time, xCurrentTime, (out: *mut f64) -> c_int, ffi::SQLITE_ERROR);
forward_vfs!(x_get_last_error, xGetLastError, (n: c_int, out: *mut c_char) -> c_int, 0);
forward_vfs!(x_current_time_int64, xCurrentTimeInt64, (out: *mut ffi::sqlite3_int64) -> c_int, ffi::SQLITE_ERROR);
forward_vfs!(x_set_system_call, xSetSystemCall, (name: *const c_char, call: ffi::sqlite3_syscall_ptr) -> c_int, ffi::SQLITE_NOTFOUND);
forward_vfs!(x_get_system_call, xGetSystemCall, (name: *const c_char) -> ffi::sqlite3_syscall_ptr, None);
forward_vfs!(x_next_system_call, xNextSystemCall, (name: *const c_char) -> *const c_char, ptr::null());

type DlSym = Option<unsafe extern "C" fn(*mut ffi::sqlite3_vfs, *mut c_void, *const c_char)>;
forward_vfs!(x_dl_sym, xDlSym, (handle: *mut c_void, symbol: *const c_char) -> DlSym, None);

unsafe extern "C" fn x_dl_error(vfs: *mut ffi::sqlite3_vfs, n: c_int, out: *mut c_char) {
    // SAFETY: as for the forwarded methods above.
    unsafe {
        let inner = inner(vfs);
        if let Some(f) = (*inner).xDlError {
            f(inner, n, out);
        }
    }
}

unsafe extern "C" fn x_dl_close(vfs: *mut ffi::sqlite3_vfs, handle: *mut c_void) {
    // SAFETY: as for the forwarded methods above.
    unsafe {
        let inner = inner(vfs);
        if let Some(f) = (*inner).xDlClose {
            f(inner, handle);
        }
    }
}

/// The default VFS's file of `file`, and its methods.
///
/// # Safety
/// `file` was opened by [`x_open`] and its methods are set.
unsafe fn real(file: *mut ffi::sqlite3_file) -> (*mut ffi::sqlite3_file, *const ffi::sqlite3_io_methods) {
    // SAFETY: the caller's promise; `x_open` set our methods only once the real ones were set.
    unsafe {
        let real = (*file.cast::<SealedFile>()).real;
        (real, (*real).pMethods)
    }
}

/// File methods that call the default VFS's file's own. `$version` is the first version of
/// `sqlite3_io_methods` that has the method: an older one's struct ends before it.
macro_rules! forward_io {
    ($name:ident, $field:ident, $version:expr, ($($arg:ident: $ty:ty),*), $missing:expr) => {
        unsafe extern "C" fn $name(file: *mut ffi::sqlite3_file, $($arg: $ty),*) -> c_int {
            // SAFETY: SQLite calls a file's methods only on the open file, with its arguments.
            unsafe {
                let (real, methods) = real(file);
                // An older version's struct ends before the newer methods: not read at all.
                if (*methods).iVersion < $version {
                    return $missing;
                }
                match (*methods).$field {
                    Some(f) => f(real, $($arg),*),
                    None => $missing,
                }
            }
        }
    };
}

forward_io!(io_read, xRead, 1, (buf: *mut c_void, amount: c_int, offset: ffi::sqlite3_int64), ffi::SQLITE_IOERR_READ);
forward_io!(io_write, xWrite, 1, (buf: *const c_void, amount: c_int, offset: ffi::sqlite3_int64), ffi::SQLITE_IOERR_WRITE);
forward_io!(io_truncate, xTruncate, 1, (size: ffi::sqlite3_int64), ffi::SQLITE_IOERR_TRUNCATE);
forward_io!(io_sync, xSync, 1, (flags: c_int), ffi::SQLITE_IOERR_FSYNC);
forward_io!(io_file_size, xFileSize, 1, (size: *mut ffi::sqlite3_int64), ffi::SQLITE_IOERR_FSTAT);
forward_io!(io_lock, xLock, 1, (level: c_int), ffi::SQLITE_IOERR_LOCK);
forward_io!(io_unlock, xUnlock, 1, (level: c_int), ffi::SQLITE_IOERR_UNLOCK);
forward_io!(io_check_reserved_lock, xCheckReservedLock, 1, (out: *mut c_int), ffi::SQLITE_IOERR_CHECKRESERVEDLOCK);
forward_io!(io_file_control, xFileControl, 1, (op: c_int, arg: *mut c_void), ffi::SQLITE_NOTFOUND);
forward_io!(io_sector_size, xSectorSize, 1, (), 4096);
forward_io!(io_device_characteristics, xDeviceCharacteristics, 1, (), 0);
forward_io!(io_shm_map, xShmMap, 2, (region: c_int, size: c_int, extend: c_int, out: *mut *mut c_void), ffi::SQLITE_IOERR_SHMMAP);
forward_io!(io_shm_lock, xShmLock, 2, (offset: c_int, n: c_int, flags: c_int), ffi::SQLITE_IOERR_SHMLOCK);
forward_io!(io_shm_unmap, xShmUnmap, 2, (delete: c_int), ffi::SQLITE_OK);
forward_io!(io_fetch, xFetch, 3, (offset: ffi::sqlite3_int64, amount: c_int, out: *mut *mut c_void), {
    *out = ptr::null_mut();
    ffi::SQLITE_OK
});
forward_io!(io_unfetch, xUnfetch, 3, (offset: ffi::sqlite3_int64, page: *mut c_void), ffi::SQLITE_OK);

unsafe extern "C" fn io_shm_barrier(file: *mut ffi::sqlite3_file) {
    // SAFETY: as for the forwarded methods above.
    unsafe {
        let (real, methods) = real(file);
        if (*methods).iVersion >= 2
            && let Some(f) = (*methods).xShmBarrier
        {
            f(real);
        }
    }
}

/// Closes the default VFS's file, and drops a temporary file's seal and with it its key.
unsafe extern "C" fn io_close(file: *mut ffi::sqlite3_file) -> c_int {
    // SAFETY: SQLite closes an open file once; the seal came from `Box::into_raw` and is taken
    // out of the file before it is dropped.
    unsafe {
        let sealed = file.cast::<SealedFile>();
        let seal = std::mem::replace(&mut (*sealed).seal, ptr::null_mut());
        if !seal.is_null() {
            drop(Box::from_raw(seal));
        }
        let (real, methods) = real(file);
        match (*methods).xClose {
            Some(close) => close(real),
            None => ffi::SQLITE_OK,
        }
    }
}

/// Every file but SQLite's temporary ones: the default VFS's file as it is, with the same
/// version and the same shared-memory methods or none (SQLite decides on WAL by them; macOS's
/// network-volume locking, for one, has none).
const fn pass_through(version: c_int, shm: bool) -> ffi::sqlite3_io_methods {
    ffi::sqlite3_io_methods {
        iVersion: version,
        xClose: Some(io_close),
        xRead: Some(io_read),
        xWrite: Some(io_write),
        xTruncate: Some(io_truncate),
        xSync: Some(io_sync),
        xFileSize: Some(io_file_size),
        xLock: Some(io_lock),
        xUnlock: Some(io_unlock),
        xCheckReservedLock: Some(io_check_reserved_lock),
        xFileControl: Some(io_file_control),
        xSectorSize: Some(io_sector_size),
        xDeviceCharacteristics: Some(io_device_characteristics),
        xShmMap: if shm { Some(io_shm_map) } else { None },
        xShmLock: if shm { Some(io_shm_lock) } else { None },
        xShmBarrier: if shm { Some(io_shm_barrier) } else { None },
        xShmUnmap: if shm { Some(io_shm_unmap) } else { None },
        xFetch: if version >= 3 { Some(io_fetch) } else { None },
        xUnfetch: if version >= 3 { Some(io_unfetch) } else { None },
    }
}

static PASS_1: ffi::sqlite3_io_methods = pass_through(1, false);
static PASS_2: ffi::sqlite3_io_methods = pass_through(2, true);
static PASS_2_NO_SHM: ffi::sqlite3_io_methods = pass_through(2, false);
static PASS_3: ffi::sqlite3_io_methods = pass_through(3, true);
static PASS_3_NO_SHM: ffi::sqlite3_io_methods = pass_through(3, false);

/// The pass-through methods that match the default VFS's file's `methods`.
fn pass_methods(methods: &ffi::sqlite3_io_methods) -> &'static ffi::sqlite3_io_methods {
    // Shared memory is there when the first of its methods is (read only from version 2 on).
    let shm = methods.iVersion >= 2 && methods.xShmMap.is_some();
    match (methods.iVersion, shm) {
        (..=1, _) => &PASS_1,
        (2, true) => &PASS_2,
        (2, false) => &PASS_2_NO_SHM,
        (_, true) => &PASS_3,
        (_, false) => &PASS_3_NO_SHM,
    }
}

/// SQLite's temporary files: read and written through their seal. Version 1, so that SQLite
/// never maps one into memory (version 3's `xFetch`), which would bypass the seal.
static SEALED_METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 1,
    xClose: Some(io_close),
    xRead: Some(sealed_read),
    xWrite: Some(sealed_write),
    xTruncate: Some(sealed_truncate),
    xSync: Some(io_sync),
    xFileSize: Some(io_file_size),
    xLock: Some(io_lock),
    xUnlock: Some(io_unlock),
    xCheckReservedLock: Some(io_check_reserved_lock),
    xFileControl: Some(io_file_control),
    xSectorSize: Some(io_sector_size),
    xDeviceCharacteristics: Some(io_device_characteristics),
    xShmMap: None,
    xShmLock: None,
    xShmBarrier: None,
    xShmUnmap: None,
    xFetch: None,
    xUnfetch: None,
};

/// A temporary file's default-VFS file, as the seal's [`Backing`].
struct Real(*mut ffi::sqlite3_file);

impl Backing for Real {
    fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<(), Code> {
        let (amount, offset) = io_args(buf.len(), offset)?;
        // SAFETY: `self.0` is an open file of the default VFS, and `buf` is `amount` bytes.
        let rc = unsafe { io_read_real(self.0, buf.as_mut_ptr().cast(), amount, offset) };
        match rc {
            ffi::SQLITE_OK | ffi::SQLITE_IOERR_SHORT_READ => Ok(()),
            rc => Err(rc),
        }
    }

    fn write(&mut self, buf: &[u8], offset: u64) -> Result<(), Code> {
        let (amount, offset) = io_args(buf.len(), offset)?;
        // SAFETY: as for `read`.
        let rc = unsafe {
            let methods = (*self.0).pMethods;
            match (*methods).xWrite {
                Some(write) => write(self.0, buf.as_ptr().cast(), amount, offset),
                None => ffi::SQLITE_IOERR_WRITE,
            }
        };
        if rc == ffi::SQLITE_OK { Ok(()) } else { Err(rc) }
    }

    fn truncate(&mut self, size: u64) -> Result<(), Code> {
        let size = i64::try_from(size).map_err(|_| ffi::SQLITE_IOERR_TRUNCATE)?;
        // SAFETY: as for `read`.
        let rc = unsafe {
            let methods = (*self.0).pMethods;
            match (*methods).xTruncate {
                Some(truncate) => truncate(self.0, size),
                None => ffi::SQLITE_IOERR_TRUNCATE,
            }
        };
        if rc == ffi::SQLITE_OK { Ok(()) } else { Err(rc) }
    }
}

fn io_args(len: usize, offset: u64) -> Result<(c_int, ffi::sqlite3_int64), Code> {
    match (c_int::try_from(len), i64::try_from(offset)) {
        (Ok(amount), Ok(offset)) => Ok((amount, offset)),
        _ => Err(ffi::SQLITE_IOERR),
    }
}

/// Reads from a default-VFS file.
///
/// # Safety
/// `real` is an open file of the default VFS and `buf` has `amount` writable bytes.
unsafe fn io_read_real(real: *mut ffi::sqlite3_file, buf: *mut c_void, amount: c_int, offset: i64) -> c_int {
    // SAFETY: the caller's promise.
    unsafe {
        match (*(*real).pMethods).xRead {
            Some(read) => read(real, buf, amount, offset),
            None => ffi::SQLITE_IOERR_READ,
        }
    }
}

/// The seal and the default-VFS file of a temporary file.
///
/// # Safety
/// `file` is open with [`SEALED_METHODS`], and SQLite uses it from one thread at a time.
unsafe fn parts<'a>(file: *mut ffi::sqlite3_file) -> (&'a mut Seal, Real) {
    // SAFETY: the caller's promise; the seal lives until `io_close`.
    unsafe {
        let sealed = file.cast::<SealedFile>();
        (&mut *(*sealed).seal, Real((*sealed).real))
    }
}

unsafe extern "C" fn sealed_read(
    file: *mut ffi::sqlite3_file,
    buf: *mut c_void,
    amount: c_int,
    offset: ffi::sqlite3_int64,
) -> c_int {
    let (Ok(len), Ok(at)) = (usize::try_from(amount), u64::try_from(offset)) else { return ffi::SQLITE_IOERR_READ };
    // SAFETY: SQLite reads into `amount` bytes at `buf` of a file opened with SEALED_METHODS.
    unsafe {
        let (seal, real) = parts(file);
        let rc = io_read_real(real.0, buf, amount, offset);
        if (rc == ffi::SQLITE_OK || rc == ffi::SQLITE_IOERR_SHORT_READ)
            && seal.decrypt(std::slice::from_raw_parts_mut(buf.cast::<u8>(), len), at).is_err()
        {
            return ffi::SQLITE_IOERR_READ;
        }
        rc
    }
}

unsafe extern "C" fn sealed_write(
    file: *mut ffi::sqlite3_file,
    buf: *const c_void,
    amount: c_int,
    offset: ffi::sqlite3_int64,
) -> c_int {
    let (Ok(len), Ok(at)) = (usize::try_from(amount), u64::try_from(offset)) else { return ffi::SQLITE_IOERR_WRITE };
    // SAFETY: SQLite writes `amount` bytes from `buf` to a file opened with SEALED_METHODS.
    unsafe {
        let (seal, mut real) = parts(file);
        let data = std::slice::from_raw_parts(buf.cast::<u8>(), len);
        match seal.write(&mut real, data, at) {
            Ok(()) => {
                BYTES_SEALED.fetch_add(len as u64, Ordering::Relaxed);
                ffi::SQLITE_OK
            }
            Err(rc) => rc,
        }
    }
}

unsafe extern "C" fn sealed_truncate(file: *mut ffi::sqlite3_file, size: ffi::sqlite3_int64) -> c_int {
    let Ok(size) = u64::try_from(size) else { return ffi::SQLITE_IOERR_TRUNCATE };
    // SAFETY: SQLite truncates a file opened with SEALED_METHODS.
    unsafe {
        let (seal, mut real) = parts(file);
        match seal.truncate(&mut real, size) {
            Ok(()) => ffi::SQLITE_OK,
            Err(rc) => rc,
        }
    }
}
