/*
 * bench:sse's floor: the least a server can do to broadcast an SSE event over TCP, in C. One
 * epoll loop accepts connections, answers each request with the SSE headers and keeps the socket;
 * commands on stdin (one letter per line) drive it like the Node servers' IPC:
 *   p  write one `log` event carrying the send time to every connection; prints "published <ms>"
 *   c  prints "connections <n>"
 *   q  exits
 * It prints its port first. Built by bench/sse.mjs with the system C compiler when there is one.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 65536

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static const char HEADER[] =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
    "Connection: keep-alive\r\n\r\nretry: 2000\n\n";

int main(void) {
  static char open_[MAX_FDS];  /* 1 = streaming, 2 = waiting for its request */
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  socklen_t len = sizeof addr;
  if (bind(listener, (struct sockaddr *)&addr, sizeof addr) || listen(listener, 4096)) return perror("listen"), 1;
  getsockname(listener, (struct sockaddr *)&addr, &len);
  printf("port %d\n", ntohs(addr.sin_port));
  fflush(stdout);

  int ep = epoll_create1(0), count = 0, seq = 0;
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener};
  epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
  ev.data.fd = 0;
  epoll_ctl(ep, EPOLL_CTL_ADD, 0, &ev);
  struct epoll_event events[1024];
  char buf[4096];
  for (;;) {
    int k = epoll_wait(ep, events, 1024, -1);
    for (int j = 0; j < k; j++) {
      int fd = events[j].data.fd;
      if (fd == listener) {
        int s;
        while ((s = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          if (s >= MAX_FDS) { close(s); continue; }
          setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          open_[s] = 2;
          ev.data.fd = s;
          epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
        }
      } else if (fd == 0) {
        char line[16];
        if (!fgets(line, sizeof line, stdin) || line[0] == 'q') return 0;
        if (line[0] == 'c') printf("connections %d\n", count);
        if (line[0] == 'p') {
          char frame[256];
          double t0 = now_ms();
          seq++;
          int n = snprintf(frame, sizeof frame,
                           "id: %d\nevent: log\ndata: {\"id\":%d,\"level\":\"INFO\",\"module\":\"bench\",\"message\":\"tick\",\"context\":{\"sentAt\":%.3f}}\n\n",
                           seq, seq, t0);
          for (int s = 0; s < MAX_FDS; s++)
            if (open_[s] == 1 && write(s, frame, n) < 0) { /* a full or closed socket: skip */ }
          printf("published %.3f\n", now_ms() - t0);
        }
        fflush(stdout);
      } else {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r <= 0) {
          if (open_[fd] == 1) count--;
          open_[fd] = 0;
          close(fd);
        } else if (open_[fd] == 2) {
          /* The request fits one read on loopback; anything after it is ignored. */
          if (write(fd, HEADER, sizeof HEADER - 1) > 0) { open_[fd] = 1; count++; }
        }
      }
    }
  }
}
