/* A minimal assertion kit for the C core's tests: each failure names the file, line and values. */
#ifndef TANDEM_CHECK_H
#define TANDEM_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                   \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
			exit(1);                                                      \
		}                                                                     \
	} while (0)

#define CHECK_EQ(a, b)                                                                \
	do {                                                                          \
		long long _a = (long long)(a), _b = (long long)(b);                   \
		if (_a != _b) {                                                       \
			fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, \
				__LINE__, #a, #b, _a, _b);                            \
			exit(1);                                                      \
		}                                                                     \
	} while (0)

/* Runs the case named by argv[1]; ctest registers one test per case. */
struct check_case {
	const char *name;
	void (*fn)(void);
};

#define CHECK_MAIN(cases)                                                             \
	int main(int argc, char **argv)                                               \
	{                                                                             \
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {       \
			if (argc < 2 || strcmp(argv[1], cases[i].name) == 0) {        \
				cases[i].fn();                                        \
				printf("ok %s\n", cases[i].name);                     \
			}                                                             \
		}                                                                     \
		return 0;                                                             \
	}

#endif
