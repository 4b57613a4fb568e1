/* jitload-bench-spawn: starts the processes of the whole-process benchmarks
 * (bench/process-bm.cc) and measures them.
 *
 * Why a helper: a process's peak resident set (ru_maxrss) includes the
 * memory of the process it was forked from, held until its exec, so a
 * command started by jitload-bench itself (tens of MB, LLVM mapped) would
 * report at least that much. Started from this small process, the peak is
 * the command's own. It also keeps the cost of starting a process small and
 * the same for every command measured.
 *
 * Protocol, on stdin/stdout (pipes from jitload-bench): a request is a
 * uint32 byte count, then that many bytes: the command's argv, each
 * argument NUL-terminated. The answer is one struct spawn_answer (below).
 * The command runs with stdin, stdout and stderr on /dev/null and the
 * helper's environment; the wall time runs from just before posix_spawn to
 * just after wait4 returns. End of input ends the helper. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

struct spawn_answer {
  int32_t status;     /* wait status (WIFEXITED...), or -errno when it could not start */
  int32_t pad;
  int64_t wall_ns;    /* spawn to reaped */
  int64_t cpu_ns;     /* the command's user + system time */
  int64_t maxrss_kib; /* its peak resident set */
};

static int read_all(int fd, void* p, size_t n) {
  char* c = p;
  while (n) {
    ssize_t r = read(fd, c, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    c += r;
    n -= (size_t)r;
  }
  return 0;
}

static int write_all(int fd, const void* p, size_t n) {
  const char* c = p;
  while (n) {
    ssize_t r = write(fd, c, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    c += r;
    n -= (size_t)r;
  }
  return 0;
}

static int64_t ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }
static int64_t tv_ns(struct timeval t) { return (int64_t)t.tv_sec * 1000000000 + (int64_t)t.tv_usec * 1000; }

int main(void) {
  posix_spawn_file_actions_t quiet;
  posix_spawn_file_actions_init(&quiet);
  for (int fd = 0; fd < 3; fd++) posix_spawn_file_actions_addopen(&quiet, fd, "/dev/null", O_RDWR, 0);
  for (;;) {
    uint32_t size;
    if (read_all(0, &size, sizeof size) != 0 || size == 0 || size > (1u << 20)) return 0;
    char* block = malloc(size + 1);
    char** argv = malloc(sizeof(char*) * (size + 1));
    if (!block || !argv || read_all(0, block, size) != 0) return 1;
    block[size] = 0;
    size_t argc = 0;
    for (size_t i = 0; i < size; i += strlen(block + i) + 1) argv[argc++] = block + i;
    argv[argc] = NULL;
    struct spawn_answer a;
    memset(&a, 0, sizeof a);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid;
    int err = posix_spawn(&pid, argv[0], &quiet, NULL, argv, environ);
    if (err) {
      a.status = -err;
    } else {
      int status = 0;
      struct rusage ru;
      while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
      }
      clock_gettime(CLOCK_MONOTONIC, &t1);
      a.status = status;
      a.wall_ns = ns(t1) - ns(t0);
      a.cpu_ns = tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
      a.maxrss_kib = ru.ru_maxrss;
    }
    free(block);
    free(argv);
    if (write_all(1, &a, sizeof a) != 0) return 1;
  }
}
