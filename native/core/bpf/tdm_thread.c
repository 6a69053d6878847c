#include "tdm_thread.h"

#include <errno.h>
#include <sched.h>

int tdm_thread_start_rt(pthread_t *thread, const char *name, void *(*fn)(void *), void *arg, bool *realtime)
{
	struct sched_param sp = { .sched_priority = TDM_RT_PRIORITY };
	pthread_attr_t attr;
	int rc;

	*realtime = false;
	if (pthread_attr_init(&attr) == 0) {
		pthread_attr_setinheritsched(&attr, PTHREAD_EXPLICIT_SCHED);
		pthread_attr_setschedpolicy(&attr, SCHED_FIFO);
		pthread_attr_setschedparam(&attr, &sp);
		rc = pthread_create(thread, &attr, fn, arg);
		pthread_attr_destroy(&attr);
		if (rc == 0) {
			*realtime = true;
			pthread_setname_np(*thread, name);
			return 0;
		}
		if (rc != EPERM && rc != EINVAL)
			return -rc;
	}
	rc = pthread_create(thread, NULL, fn, arg);
	if (rc)
		return -rc;
	pthread_setname_np(*thread, name);
	return 0;
}

int tdm_mutex_init_pi(pthread_mutex_t *m)
{
	pthread_mutexattr_t attr;
	int rc = pthread_mutexattr_init(&attr);

	if (rc)
		return -rc;
	/* Not fatal where PI futexes are missing: a plain mutex still locks correctly. */
	pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
	rc = pthread_mutex_init(m, &attr);
	pthread_mutexattr_destroy(&attr);
	return -rc;
}
