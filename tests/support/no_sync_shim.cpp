// A deliberate break for the tests of the tests, loaded with LD_PRELOAD: fsync and
// fdatasync return success without asking the kernel to flush anything, as a build
// with synchronous=OFF or a lying disk would. Every write then survives a kill -9 (the
// page cache holds it) but not a power cut; the flush test must notice.

extern "C" {

int fsync(int) { return 0; }

int fdatasync(int) { return 0; }

}  // extern "C"
