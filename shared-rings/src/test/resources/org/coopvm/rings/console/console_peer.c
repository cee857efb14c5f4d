/*
 * A console peer built on Xen's own io/console.h, for ConsoleRingCInteropTest.
 *   console_peer layout               print offsetof of struct xencons_interface's fields
 *   console_peer echo FILE OFFSET     read everything in in[] (Java wrote bytes i % 251), check
 *                                     it, then write the same bytes to out[], as a guest would
 * Indices are used exactly as Xen's users do: free-running, MASK_XENCONS_IDX, prod read with
 * acquire, the index published with release after the data. Exit status 0 means all was as
 * expected.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <xen/io/console.h>

static void fail(const char *what, unsigned long long seen)
{
    fprintf(stderr, "console_peer: %s (saw %llu)\n", what, seen);
    exit(2);
}

static int echo(const char *file, long offset)
{
    int fd = open(file, O_RDWR);
    if (fd < 0)
    {
        fail("cannot open the file", 0);
    }
    unsigned char *base = mmap(NULL, offset + 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED)
    {
        fail("cannot map the file", 0);
    }
    struct xencons_interface *intf = (struct xencons_interface *)(base + offset);
    char copy[sizeof(intf->in)];
    XENCONS_RING_IDX cons = intf->in_cons;
    XENCONS_RING_IDX prod = __atomic_load_n(&intf->in_prod, __ATOMIC_ACQUIRE);
    XENCONS_RING_IDX n = prod - cons;
    if (n > sizeof(intf->in))
    {
        fail("in_prod claims more than in[] holds", n);
    }
    for (XENCONS_RING_IDX i = 0; i < n; i++)
    {
        copy[i] = intf->in[MASK_XENCONS_IDX(cons + i, intf->in)];
        if ((unsigned)(unsigned char)copy[i] != i % 251u)
        {
            fail("wrong input byte", i);
        }
    }
    __atomic_store_n(&intf->in_cons, cons + n, __ATOMIC_RELEASE);

    XENCONS_RING_IDX oprod = intf->out_prod;
    XENCONS_RING_IDX ocons = __atomic_load_n(&intf->out_cons, __ATOMIC_ACQUIRE);
    if (oprod - ocons + n > sizeof(intf->out))
    {
        fail("no room in out[]", oprod - ocons);
    }
    for (XENCONS_RING_IDX i = 0; i < n; i++)
    {
        intf->out[MASK_XENCONS_IDX(oprod + i, intf->out)] = copy[i];
    }
    __atomic_store_n(&intf->out_prod, oprod + n, __ATOMIC_RELEASE);
    printf("echoed %u\n", n);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && argv[1][0] == 'l')
    {
        printf("xencons %zu %zu %zu %zu %zu %zu %zu\n", offsetof(struct xencons_interface, in),
            offsetof(struct xencons_interface, out), offsetof(struct xencons_interface, in_cons),
            offsetof(struct xencons_interface, in_prod), offsetof(struct xencons_interface, out_cons),
            offsetof(struct xencons_interface, out_prod), sizeof(struct xencons_interface));
        return 0;
    }
    if (argc == 4 && argv[1][0] == 'e')
    {
        return echo(argv[2], atol(argv[3]));
    }
    fprintf(stderr, "usage: console_peer layout | echo FILE OFFSET\n");
    return 1;
}
