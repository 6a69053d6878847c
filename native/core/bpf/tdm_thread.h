/* Threads on the timing path (VRRP adverts, cluster heartbeats): real-time scheduling and
 * priority-inheriting locks, so CPU hogs or a busy Node main thread cannot delay their timers. */
#ifndef TANDEM_TDM_THREAD_H
#define TANDEM_TDM_THREAD_H

#include <pthread.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* SCHED_FIFO priority of the timing threads: above every normal task, below the kernel's
 * threaded interrupt handlers (50) that deliver their packets. */
#define TDM_RT_PRIORITY 10

/* Starts fn(arg) under SCHED_FIFO at TDM_RT_PRIORITY; where that is not permitted (no
 * CAP_SYS_NICE, an RT-throttled cgroup) starts it with normal scheduling. `name` (at most 15
 * characters) is what top -H and /proc show. Returns 0 or -errno; *realtime says which it got. */
int tdm_thread_start_rt(pthread_t *thread, const char *name, void *(*fn)(void *), void *arg, bool *realtime);

/* A mutex with priority inheritance: a normal thread holding it while a real-time thread waits
 * runs at the waiter's priority until it unlocks (no priority inversion under load). */
int tdm_mutex_init_pi(pthread_mutex_t *m);

#ifdef __cplusplus
}
#endif

#endif
