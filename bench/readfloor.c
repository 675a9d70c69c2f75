/* The physical floor for reading a versions folder: list it, open and read
 * every *.py file, nothing else. Retort's `heads` is measured against this. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: readfloor DIR\n");
        return 2;
    }
    DIR *d = opendir(argv[1]);
    if (!d) {
        perror(argv[1]);
        return 1;
    }
    static char buf[1 << 16];
    char path[4096];
    long files = 0, bytes = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".py") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        int fd = open(path, O_RDONLY);
        if (fd < 0)
            continue;
        ssize_t r;
        while ((r = read(fd, buf, sizeof buf)) > 0)
            bytes += r;
        close(fd);
        ++files;
    }
    closedir(d);
    printf("%ld files, %ld bytes\n", files, bytes);
    return 0;
}
