/* Test fixtures that give the calling test process network namespaces of its own: nothing a
 * test creates (links, addresses, mounts) is visible on the host, and all of it vanishes with the
 * process. Needs root. */
#ifndef TANDEM_NETNS_FIXTURE_H
#define TANDEM_NETNS_FIXTURE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>

#include "check.h"

/* A private network and mount namespace with loopback up. */
static inline void fixture_private_netns(void)
{
	CHECK(unshare(CLONE_NEWNET | CLONE_NEWNS) == 0);
	CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0);
	CHECK(system("ip link set lo up") == 0);
}

/* fixture_private_netns() plus a veth pair a0 <-> b0, both up. */
static inline void fixture_veth_pair(void)
{
	fixture_private_netns();
	CHECK(system("ip link add a0 type veth peer name b0 && ip link set a0 up && ip link set b0 up") == 0);
}

#endif
