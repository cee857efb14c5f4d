/*
 * A blkif peer built on Xen's own io/ring.h macros, for XenRingCInteropTest.
 *   blkif_peer layout                 print the C layout of blkif rings
 *   blkif_peer front FILE OFFSET N    initialise the ring and act as frontend for N requests
 *   blkif_peer back  FILE OFFSET N    act as backend for N requests of a ring Java initialised
 * Request i and its response follow fill_request()/expected_status(), mirrored in
 * BlkifTestMessages.java. Exit status 0 means every field and the order were as expected.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sched.h>
#include <time.h>
#include <sys/mman.h>

#define xen_mb()  __sync_synchronize()
#define xen_rmb() __asm__ __volatile__("" ::: "memory")
#define xen_wmb() __asm__ __volatile__("" ::: "memory")
#include <xen/io/blkif.h>

#define RING_BYTES 4096
#define DEADLINE_S 60

static time_t deadline;

static void fail(const char *what, unsigned i, unsigned long long seen)
{
    fprintf(stderr, "blkif_peer: %s at request %u (saw %llu)\n", what, i, seen);
    exit(2);
}

static void check_deadline(unsigned i)
{
    if (time(NULL) > deadline)
    {
        fail("deadline passed", i, 0);
    }
}

static uint8_t op_of(unsigned i)
{
    return (i % 7 == 6) ? BLKIF_OP_DISCARD : (i % 2) ? BLKIF_OP_WRITE : BLKIF_OP_READ;
}

static void fill_request(blkif_request_t *r, unsigned i)
{
    memset(r, 0, sizeof(*r));
    if (op_of(i) == BLKIF_OP_DISCARD)
    {
        blkif_request_discard_t *d = (blkif_request_discard_t *)r;
        d->operation = BLKIF_OP_DISCARD;
        d->flag = (i % 2) ? BLKIF_DISCARD_SECURE : 0;
        d->handle = 0x0A0B;
        d->id = 0xC0FFEE000000ULL + i;
        d->sector_number = (uint64_t)i * 8;
        d->nr_sectors = (uint64_t)i * 3 + 1;
        return;
    }
    r->operation = op_of(i);
    r->nr_segments = 1 + i % BLKIF_MAX_SEGMENTS_PER_REQUEST;
    r->handle = 0x0A0B;
    r->id = 0xC0FFEE000000ULL + i;
    r->sector_number = (uint64_t)i * 8;
    for (unsigned j = 0; j < r->nr_segments; j++)
    {
        r->seg[j].gref = i * 16 + j;
        r->seg[j].first_sect = j % 8;
        r->seg[j].last_sect = 7;
    }
}

static int16_t expected_status(unsigned i)
{
    return (i % 3 == 0) ? BLKIF_RSP_ERROR : BLKIF_RSP_OKAY;
}

static void check_request(const blkif_request_t *got, unsigned i)
{
    blkif_request_t want;
    fill_request(&want, i);
    if (op_of(i) == BLKIF_OP_DISCARD)
    {
        if (memcmp(got, &want, sizeof(want)) != 0) fail("discard request bytes", i, got->id);
        return;
    }
    if (got->id != want.id) fail("request id", i, got->id);
    if (got->operation != want.operation) fail("request operation", i, got->operation);
    if (got->nr_segments != want.nr_segments) fail("request nr_segments", i, got->nr_segments);
    if (got->handle != want.handle) fail("request handle", i, got->handle);
    if (got->sector_number != want.sector_number) fail("request sector", i, got->sector_number);
    for (unsigned j = 0; j < want.nr_segments; j++)
    {
        if (got->seg[j].gref != want.seg[j].gref) fail("request gref", i, got->seg[j].gref);
        if (got->seg[j].first_sect != want.seg[j].first_sect) fail("request first_sect", i, got->seg[j].first_sect);
        if (got->seg[j].last_sect != want.seg[j].last_sect) fail("request last_sect", i, got->seg[j].last_sect);
    }
}

static void check_response(const blkif_response_t *got, unsigned i)
{
    if (got->id != 0xC0FFEE000000ULL + i) fail("response id", i, got->id);
    if (got->operation != op_of(i)) fail("response operation", i, got->operation);
    if (got->status != expected_status(i)) fail("response status", i, (unsigned long long)(long long)got->status);
}

static blkif_sring_t *map_ring(const char *file, long offset)
{
    int fd = open(file, O_RDWR);
    if (fd < 0) { perror("open"); exit(3); }
    char *base = mmap(NULL, offset + RING_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) { perror("mmap"); exit(3); }
    close(fd);
    return (blkif_sring_t *)(base + offset);
}

static int run_front(blkif_sring_t *s, unsigned n)
{
    blkif_front_ring_t fr;
    XEN_FRONT_RING_INIT(&fr, s, RING_BYTES);
    printf("ready %u\n", RING_SIZE(&fr));
    fflush(stdout);
    unsigned sent = 0, received = 0, notifies = 0;
    while (received < n)
    {
        check_deadline(received);
        int pushed = 0;
        while (sent < n && !RING_FULL(&fr))
        {
            fill_request(RING_GET_REQUEST(&fr, fr.req_prod_pvt), sent);
            fr.req_prod_pvt++;
            sent++;
            pushed = 1;
        }
        if (pushed)
        {
            int notify;
            RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fr, notify);
            notifies += notify;
        }
        int more;
        do
        {
            while (RING_HAS_UNCONSUMED_RESPONSES(&fr))
            {
                blkif_response_t rsp;
                RING_COPY_RESPONSE(&fr, fr.rsp_cons, &rsp);
                check_response(&rsp, received);
                fr.rsp_cons++;
                received++;
            }
            RING_FINAL_CHECK_FOR_RESPONSES(&fr, more);
        } while (more);
        sched_yield();
    }
    printf("done %u %u\n", received, notifies);
    return 0;
}

static int run_back(blkif_sring_t *s, unsigned n)
{
    blkif_back_ring_t br;
    BACK_RING_INIT(&br, s, RING_BYTES);
    printf("ready %u\n", RING_SIZE(&br));
    fflush(stdout);
    unsigned answered = 0, notifies = 0;
    while (answered < n)
    {
        check_deadline(answered);
        int more;
        do
        {
            RING_IDX prod = br.sring->req_prod;
            xen_rmb();
            if (RING_REQUEST_PROD_OVERFLOW(&br, prod)) fail("front overflowed the ring", answered, prod);
            while (br.req_cons != prod)
            {
                blkif_request_t req;
                RING_COPY_REQUEST(&br, br.req_cons, &req);
                br.req_cons++;
                check_request(&req, answered);
                blkif_response_t *rsp = RING_GET_RESPONSE(&br, br.rsp_prod_pvt);
                rsp->id = req.id;
                rsp->operation = req.operation;
                rsp->status = expected_status(answered);
                br.rsp_prod_pvt++;
                answered++;
            }
            int notify;
            RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&br, notify);
            notifies += notify;
            RING_FINAL_CHECK_FOR_REQUESTS(&br, more);
        } while (more);
        sched_yield();
    }
    printf("done %u %u\n", answered, notifies);
    return 0;
}

static int print_layout(void)
{
    printf("sring %zu %zu %zu %zu %zu %zu %zu\n",
        offsetof(blkif_sring_t, req_prod), offsetof(blkif_sring_t, req_event),
        offsetof(blkif_sring_t, rsp_prod), offsetof(blkif_sring_t, rsp_event),
        offsetof(blkif_sring_t, pvt), offsetof(blkif_sring_t, __pad), offsetof(blkif_sring_t, ring));
    printf("slot %zu entries %lu\n", sizeof(union blkif_sring_entry), (unsigned long)__CONST_RING_SIZE(blkif, RING_BYTES));
    printf("request %zu %zu %zu %zu %zu %zu %zu %zu %zu\n",
        offsetof(blkif_request_t, operation), offsetof(blkif_request_t, nr_segments),
        offsetof(blkif_request_t, handle), offsetof(blkif_request_t, id),
        offsetof(blkif_request_t, sector_number), offsetof(blkif_request_t, seg),
        sizeof(struct blkif_request_segment), offsetof(struct blkif_request_segment, first_sect),
        offsetof(struct blkif_request_segment, last_sect));
    printf("response %zu %zu %zu %zu\n",
        offsetof(blkif_response_t, id), offsetof(blkif_response_t, operation),
        offsetof(blkif_response_t, status), sizeof(blkif_response_t));
    printf("sizes %zu %zu %zu %zu\n", sizeof(blkif_request_t), sizeof(struct blkif_request_segment),
        sizeof(blkif_response_t), sizeof(blkif_request_discard_t));
    printf("discard %zu %zu %zu %zu %zu %zu\n",
        offsetof(blkif_request_discard_t, operation), offsetof(blkif_request_discard_t, flag),
        offsetof(blkif_request_discard_t, handle), offsetof(blkif_request_discard_t, id),
        offsetof(blkif_request_discard_t, sector_number), offsetof(blkif_request_discard_t, nr_sectors));
    printf("segment %zu %zu %zu\n", offsetof(struct blkif_request_segment, gref),
        offsetof(struct blkif_request_segment, first_sect), offsetof(struct blkif_request_segment, last_sect));
    printf("constants %d %d %d %d %d %d %d %d %d %d %d %d\n", BLKIF_MAX_SEGMENTS_PER_REQUEST,
        BLKIF_OP_READ, BLKIF_OP_WRITE, BLKIF_OP_WRITE_BARRIER, BLKIF_OP_FLUSH_DISKCACHE, BLKIF_OP_DISCARD,
        BLKIF_OP_INDIRECT, BLKIF_RSP_OKAY, BLKIF_RSP_ERROR, BLKIF_RSP_EOPNOTSUPP, VDISK_READONLY, BLKIF_DISCARD_SECURE);
    printf("entries %lu %lu %lu %lu %lu\n", (unsigned long)__CONST_RING_SIZE(blkif, 4096),
        (unsigned long)__CONST_RING_SIZE(blkif, 8192), (unsigned long)__CONST_RING_SIZE(blkif, 16384),
        (unsigned long)__CONST_RING_SIZE(blkif, 32768), (unsigned long)__CONST_RING_SIZE(blkif, 65536));
    printf("indirect %zu %zu %zu %zu %zu %zu %zu %d\n", offsetof(struct blkif_request_indirect, operation),
        offsetof(struct blkif_request_indirect, indirect_op), offsetof(struct blkif_request_indirect, nr_segments),
        offsetof(struct blkif_request_indirect, id), offsetof(struct blkif_request_indirect, sector_number),
        offsetof(struct blkif_request_indirect, handle), offsetof(struct blkif_request_indirect, indirect_grefs),
        BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST);
    return 0;
}

int main(int argc, char **argv)
{
    deadline = time(NULL) + DEADLINE_S;
    if (argc == 2 && strcmp(argv[1], "layout") == 0)
    {
        return print_layout();
    }
    if (argc != 5)
    {
        fprintf(stderr, "usage: blkif_peer layout | front|back FILE OFFSET N\n");
        return 1;
    }
    blkif_sring_t *s = map_ring(argv[2], atol(argv[3]));
    unsigned n = (unsigned)strtoul(argv[4], NULL, 10);
    return strcmp(argv[1], "front") == 0 ? run_front(s, n) : run_back(s, n);
}
