/*
 * fuzz_mpb.c: libFuzzer harness of the .mpb decoder (executor/mpb.c).
 *
 * The input is an .mpb file, copied to a heap buffer of exactly its size
 * (so ASan sees any read past the end).  It is decoded as it is and once
 * more with its CRC-32 trailer made right (so mutations get past the
 * checksum into the header, op and string checks).  A plan the decoder
 * accepts is decoded op by op, dumped and simulated.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "mpb.h"

/* libFuzzer: once, before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_devnull();
	return 0;
}

/* Decode size bytes (an exact heap copy of data, the trailer fixed when
 * fix_crc) and use every part of an accepted plan. */
static void decode(const uint8_t *data, size_t size, int fix_crc)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct mpb mpb;
	struct mpb_error err;

	memcpy(copy, data, size);
	if (fix_crc)
		mp_put32(copy + size - MP_TRAILER_SIZE,
			 mp_crc32(0, copy, size - MP_TRAILER_SIZE));
	if (mpb_open(&mpb, copy, size, &err) == 0) {
		fuzz_use_plan(&mpb);
	} else {
		FUZZ_ASSERT(err.what && err.op >= -1 && (err.op < 0 || size >= MP_HEADER_SIZE),
			    "a refusal without a reason");
	}
	free(copy);
}

/* libFuzzer: one input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	decode(data, size, 0);
	if (size >= MP_HEADER_SIZE + MP_TRAILER_SIZE)
		decode(data, size, 1);
	return 0;
}
