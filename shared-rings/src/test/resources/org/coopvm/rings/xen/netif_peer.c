/*
 * A netif frontend built on Xen's own io/ring.h and io/netif.h, for NetifCInteropTest.
 *   netif_peer layout              print the C layout of the netif structures and constants
 *   netif_peer front FILE OFFSET N initialise a tx ring at OFFSET and an rx ring one page later,
 *                                  push N tx and N rx requests (N <= 256), print "pushed N"
 * Request i follows fill_tx()/fill_rx(), mirrored in NetifCInteropTest.java.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>

#define xen_mb()  __sync_synchronize()
#define xen_rmb() __asm__ __volatile__("" ::: "memory")
#define xen_wmb() __asm__ __volatile__("" ::: "memory")
#include <xen/io/netif.h>

#define PAGE 4096

static void fill_tx(netif_tx_request_t *r, unsigned i)
{
    r->gref = 1000 + i * 3;
    r->offset = (uint16_t)(i * 16 % 2048);
    r->flags = (i % 2) ? NETTXF_data_validated : NETTXF_csum_blank;
    r->id = (uint16_t)(i + 7);
    r->size = (uint16_t)(60 + i * 5);
}

static void fill_rx(netif_rx_request_t *r, unsigned i)
{
    memset(r, 0, sizeof(*r));
    r->id = (uint16_t)(i ^ 0x55);
    r->gref = 5000 + i;
}

static int run_front(char *base, unsigned n)
{
    netif_tx_sring_t *tx = (netif_tx_sring_t *)base;
    netif_rx_sring_t *rx = (netif_rx_sring_t *)(base + PAGE);
    netif_tx_front_ring_t txf;
    netif_rx_front_ring_t rxf;
    SHARED_RING_INIT(tx);
    FRONT_RING_INIT(&txf, tx, PAGE);
    SHARED_RING_INIT(rx);
    FRONT_RING_INIT(&rxf, rx, PAGE);
    for (unsigned i = 0; i < n; i++)
    {
        fill_tx(RING_GET_REQUEST(&txf, txf.req_prod_pvt), i);
        txf.req_prod_pvt++;
        fill_rx(RING_GET_REQUEST(&rxf, rxf.req_prod_pvt), i);
        rxf.req_prod_pvt++;
    }
    int notify_tx, notify_rx;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&txf, notify_tx);
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&rxf, notify_rx);
    printf("pushed %u %u %u notify %d %d\n", n, RING_SIZE(&txf), RING_SIZE(&rxf), notify_tx, notify_rx);
    return 0;
}

static int print_layout(void)
{
    printf("tx_request %zu %zu %zu %zu %zu %zu\n", offsetof(netif_tx_request_t, gref), offsetof(netif_tx_request_t, offset),
        offsetof(netif_tx_request_t, flags), offsetof(netif_tx_request_t, id), offsetof(netif_tx_request_t, size),
        sizeof(netif_tx_request_t));
    printf("tx_response %zu %zu %zu\n", offsetof(netif_tx_response_t, id), offsetof(netif_tx_response_t, status),
        sizeof(netif_tx_response_t));
    printf("rx_request %zu %zu %zu\n", offsetof(netif_rx_request_t, id), offsetof(netif_rx_request_t, gref),
        sizeof(netif_rx_request_t));
    printf("rx_response %zu %zu %zu %zu %zu\n", offsetof(netif_rx_response_t, id), offsetof(netif_rx_response_t, offset),
        offsetof(netif_rx_response_t, flags), offsetof(netif_rx_response_t, status), sizeof(netif_rx_response_t));
    printf("slots %zu %zu entries %lu %lu\n", sizeof(union netif_tx_sring_entry), sizeof(union netif_rx_sring_entry),
        (unsigned long)__CONST_RING_SIZE(netif_tx, PAGE), (unsigned long)__CONST_RING_SIZE(netif_rx, PAGE));
    printf("txflags %d %d %d %d\n", NETTXF_csum_blank, NETTXF_data_validated, NETTXF_more_data, NETTXF_extra_info);
    printf("rxflags %d %d %d %d %d\n", NETRXF_data_validated, NETRXF_csum_blank, NETRXF_more_data, NETRXF_extra_info,
        NETRXF_gso_prefix);
    printf("status %d %d %d %d\n", NETIF_RSP_DROPPED, NETIF_RSP_ERROR, NETIF_RSP_OKAY, NETIF_RSP_NULL);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "layout") == 0)
    {
        return print_layout();
    }
    if (argc != 5 || strcmp(argv[1], "front") != 0)
    {
        fprintf(stderr, "usage: netif_peer layout | front FILE OFFSET N\n");
        return 1;
    }
    long offset = atol(argv[3]);
    int fd = open(argv[2], O_RDWR);
    if (fd < 0) { perror("open"); return 3; }
    char *base = mmap(NULL, offset + 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) { perror("mmap"); return 3; }
    close(fd);
    return run_front(base + offset, (unsigned)strtoul(argv[4], NULL, 10));
}
