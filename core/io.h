/*
 * io: writing a whole buffer to a file descriptor, through short writes
 * and EINTR; the launch, the console log and atomic saves all need it.
 * Reading a whole (small) plain file, such as a domain's XML to import
 * (never a FIFO or a device: the open does not wait).
 * And the clock the event loops and deadlines count in.
 */
#ifndef VMTUI_IO_H
#define VMTUI_IO_H

#include <stddef.h>

int	io_write_all(int, const void *, size_t);
int	io_read_file(const char *, size_t, char **, char **);
long	io_now_ms(void);
long long io_read_number(const char *);

#endif
