/* sqlite_map.c: a VFS over SQLite's default one ("bb-map") that maps a whole database file for reading.
 * SQLite reads a page through a map without a copy and without its page cache (no pread, no hash
 * lookup), but the system library caps its own map at 2 GB (SQLITE_MAX_MMAP_SIZE), and a database of a
 * million customers is 6 GB. The map is the VFS's to choose ("PRAGMA mmap_size ... is advisory. The
 * underlying VFS is free to memory map as little or as much as it wants"), so this one answers xFetch
 * from its own map of the file: one per file in the process (connections share it and its page
 * tables), address space reserved for far more than the file (PROT_READ, MAP_SHARED: never written
 * through, always the file's current bytes), of which a pointer is only ever given below the size the
 * file was last seen to have; past it, or with no map, xFetch answers "no" and SQLite reads as usual.
 * Every other method is the default VFS's. The map is made from the descriptor SQLite's own file holds
 * (read from its file object and checked to be that path's inode by fstat): opening and closing a
 * descriptor of our own would drop the process's POSIX locks on the file. Like SQLite's own map, a
 * truncation of the file by another process while a read is under way could fault; SQLite truncates a
 * database only when it shrinks (VACUUM), which birebir never runs.
 * The map registry is process state, as the VFS registration itself is: guarded by a mutex. */
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "store/sqlite_db.h"

/* Address space reserved per mapped file: the first that the system grants. */
static const int64_t reserves[] = {(int64_t)1 << 40, (int64_t)1 << 36, (int64_t)1 << 34};

typedef struct shared_map {
    dev_t dev;
    ino_t ino;
    unsigned char *base;
    int64_t reserved;
    _Atomic int64_t valid; /* the file's size as last seen: pointers are given below it */
    int refs;
    struct shared_map *next;
} shared_map;

typedef struct map_file {
    sqlite3_file base;  /* pMethods: map_methods */
    sqlite3_file *real; /* the default VFS's file, in the bytes after this struct */
    shared_map *map;    /* NULL: not mapped (not a main database, or no map could be made) */
    int fd;             /* the real file's descriptor (when mapped) */
    int64_t limit;      /* PRAGMA mmap_size: 0 means no map */
    volatile void *shm0; /* the WAL index's first region (its header), once SQLite has mapped it */
} map_file;

static pthread_mutex_t maps_mu = PTHREAD_MUTEX_INITIALIZER;
static shared_map *maps;
static sqlite3_vfs map_vfs;
static sqlite3_vfs *real_vfs;

/* The real file object's size rounded up so that ours keeps its alignment. */
#define REAL_OFFSET ((sizeof(map_file) + 15) & ~(size_t)15)

static shared_map *map_acquire(int fd, const struct stat *sb)
{
    shared_map *m;
    pthread_mutex_lock(&maps_mu);
    for (m = maps; m && !(m->dev == sb->st_dev && m->ino == sb->st_ino); m = m->next)
        ;
    if (m) {
        m->refs++;
    } else if ((m = calloc(1, sizeof *m)) != NULL) {
        void *p = MAP_FAILED;
        for (size_t i = 0; i < sizeof reserves / sizeof *reserves && p == MAP_FAILED; i++) {
            p = mmap(NULL, (size_t)reserves[i], PROT_READ, MAP_SHARED | MAP_NORESERVE, fd, 0);
            m->reserved = reserves[i];
        }
        if (p == MAP_FAILED) {
            free(m);
            m = NULL;
        } else {
            m->base = p;
            m->dev = sb->st_dev;
            m->ino = sb->st_ino;
            atomic_store(&m->valid, (int64_t)sb->st_size);
            m->refs = 1;
            m->next = maps;
            maps = m;
        }
    }
    pthread_mutex_unlock(&maps_mu);
    return m;
}

static void map_release(shared_map *m)
{
    shared_map **at;
    if (!m)
        return;
    pthread_mutex_lock(&maps_mu);
    if (--m->refs == 0) {
        for (at = &maps; *at != m; at = &(*at)->next)
            ;
        *at = m->next;
        munmap(m->base, (size_t)m->reserved);
        free(m);
    }
    pthread_mutex_unlock(&maps_mu);
}

/* Sets the map's valid size from the file's (after growth by a commit, or any change SQLite saw). */
static void map_refresh(map_file *f)
{
    struct stat sb;
    pthread_mutex_lock(&maps_mu);
    if (fstat(f->fd, &sb) == 0)
        atomic_store(&f->map->valid, (int64_t)sb.st_size);
    else
        atomic_store(&f->map->valid, 0); /* unknown: no pointers until it is known again */
    pthread_mutex_unlock(&maps_mu);
}

/* ---- the methods: the real file's, but the map's ---- */

#define REAL(f) (((map_file *)(f))->real)

static int m_close(sqlite3_file *file)
{
    map_file *f = (map_file *)file;
    int rc = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    map_release(f->map);
    f->map = NULL;
    return rc;
}

static int m_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int m_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int m_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    map_file *f = (map_file *)file;
    int rc = f->real->pMethods->xTruncate(f->real, size);
    if (f->map)
        map_refresh(f);
    return rc;
}

static int m_sync(sqlite3_file *f, int flags)
{
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int m_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int m_lock(sqlite3_file *f, int lock)
{
    return REAL(f)->pMethods->xLock(REAL(f), lock);
}

static int m_unlock(sqlite3_file *f, int lock)
{
    return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}

static int m_check_reserved(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int m_file_control(sqlite3_file *file, int op, void *arg)
{
    map_file *f = (map_file *)file;
    if (op == SQLITE_FCNTL_MMAP_SIZE && f->map) { /* ours: the real file makes no map of its own */
        sqlite3_int64 *v = arg;
        if (*v >= 0)
            f->limit = *v;
        *v = f->limit;
        return SQLITE_OK;
    }
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int m_sector_size(sqlite3_file *f)
{
    return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int m_device(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int m_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **p)
{
    const sqlite3_io_methods *r = REAL(f)->pMethods;
    int rc = r->iVersion >= 2 ? r->xShmMap(REAL(f), region, size, extend, p) : SQLITE_IOERR_SHMMAP;
    if (rc == SQLITE_OK && region == 0 && size >= BB__WAL_STAMP)
        ((map_file *)f)->shm0 = *p;
    return rc;
}

static int m_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    const sqlite3_io_methods *r = REAL(f)->pMethods;
    return r->iVersion >= 2 ? r->xShmLock(REAL(f), offset, n, flags) : SQLITE_IOERR_SHMLOCK;
}

static void m_shm_barrier(sqlite3_file *f)
{
    const sqlite3_io_methods *r = REAL(f)->pMethods;
    if (r->iVersion >= 2)
        r->xShmBarrier(REAL(f));
}

static int m_shm_unmap(sqlite3_file *f, int delete_flag)
{
    const sqlite3_io_methods *r = REAL(f)->pMethods;
    ((map_file *)f)->shm0 = NULL;
    return r->iVersion >= 2 ? r->xShmUnmap(REAL(f), delete_flag) : SQLITE_OK;
}

/* A page's bytes in place, when the map holds them; else *p = NULL and SQLite reads the page. */
static int m_fetch(sqlite3_file *file, sqlite3_int64 off, int n, void **p)
{
    map_file *f = (map_file *)file;
    int64_t end = (int64_t)off + n;
    *p = NULL;
    if (!f->map || off < 0 || n <= 0 || end > f->limit || end > f->map->reserved)
        return SQLITE_OK;
    if (end > atomic_load(&f->map->valid)) /* the file may have grown since */
        map_refresh(f);
    if (end <= atomic_load(&f->map->valid))
        *p = f->map->base + off;
    return SQLITE_OK;
}

/* p NULL: SQLite saw the database change (another connection's commit) and forgets what it fetched;
 * the file's size is read again. Otherwise one page given back: nothing to do. */
static int m_unfetch(sqlite3_file *file, sqlite3_int64 off, void *p)
{
    map_file *f = (map_file *)file;
    (void)off;
    if (!p && f->map)
        map_refresh(f);
    return SQLITE_OK;
}

static const sqlite3_io_methods map_methods = {
    .iVersion = 3,
    .xClose = m_close,
    .xRead = m_read,
    .xWrite = m_write,
    .xTruncate = m_truncate,
    .xSync = m_sync,
    .xFileSize = m_file_size,
    .xLock = m_lock,
    .xUnlock = m_unlock,
    .xCheckReservedLock = m_check_reserved,
    .xFileControl = m_file_control,
    .xSectorSize = m_sector_size,
    .xDeviceCharacteristics = m_device,
    .xShmMap = m_shm_map,
    .xShmLock = m_shm_lock,
    .xShmBarrier = m_shm_barrier,
    .xShmUnmap = m_shm_unmap,
    .xFetch = m_fetch,
    .xUnfetch = m_unfetch,
};

/* The descriptor of the default VFS's file object: its fourth member (after the methods, the VFS and
 * the inode), accepted only if fstat finds it to be the file at path; else -1 (no map is made). */
static int real_fd(sqlite3_file *real, const char *path, struct stat *sb)
{
    struct stat at;
    int fd;
    if (strcmp(real_vfs->zName, "unix") != 0 || real_vfs->szOsFile < (int)(3 * sizeof(void *) + sizeof(int)))
        return -1;
    memcpy(&fd, (const char *)real + 3 * sizeof(void *), sizeof fd);
    if (fd < 0 || fstat(fd, sb) != 0 || stat(path, &at) != 0 || at.st_dev != sb->st_dev || at.st_ino != sb->st_ino ||
        !S_ISREG(sb->st_mode))
        return -1;
    return fd;
}

static int m_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
    map_file *f = (map_file *)file;
    struct stat sb;
    int rc;
    (void)vfs;
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)((char *)file + REAL_OFFSET);
    rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK || !f->real->pMethods) {
        file->pMethods = NULL; /* SQLite calls no method of a file that failed to open */
        if (f->real->pMethods)
            f->real->pMethods->xClose(f->real);
        return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
    }
    file->pMethods = &map_methods;
    if (name && (flags & SQLITE_OPEN_MAIN_DB) && f->real->pMethods->iVersion >= 3 &&
        (f->fd = real_fd(f->real, name, &sb)) >= 0)
        f->map = map_acquire(f->fd, &sb);
    return SQLITE_OK;
}

static void register_vfs(void)
{
    if (sizeof(void *) < 8 || !(real_vfs = sqlite3_vfs_find(NULL)) || real_vfs->iVersion < 1)
        return;
    map_vfs = *real_vfs; /* every VFS method but xOpen is the default's */
    map_vfs.zName = BB__SQLITE_MAP_VFS;
    map_vfs.szOsFile = (int)(REAL_OFFSET + (size_t)real_vfs->szOsFile);
    map_vfs.xOpen = m_open;
    map_vfs.pNext = NULL;
    if (sqlite3_vfs_register(&map_vfs, 0) != SQLITE_OK)
        real_vfs = NULL;
}

/* The WAL index header (sqlite.org/walformat.html, 2.1: its first 48 bytes, with iChange, "incremented
 * with each transaction", mxFrame and the salts) as it is now: every commit, by any process, writes it
 * before it releases the write lock, so an unchanged header means nothing was committed. */
int bb__sqlite_map_stamp(sqlite3_file *file, unsigned char stamp[BB__WAL_STAMP])
{
    const map_file *f = (const map_file *)file;
    if (!file || file->pMethods != &map_methods || !f->shm0)
        return 0;
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    for (int i = 0; i < BB__WAL_STAMP; i++)
        stamp[i] = ((const volatile unsigned char *)f->shm0)[i];
    return 1;
}

const char *bb__sqlite_map_vfs(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_vfs);
    return real_vfs ? BB__SQLITE_MAP_VFS : NULL;
}
