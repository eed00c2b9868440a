#include "ckernels.h"
#include <immintrin.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

// A fork-join pool whose workers sleep. The caller posts a job, takes tasks itself, and returns once every task has
// finished: a worker that was not scheduled in time simply takes no task, so a busy neighbour core delays a job by
// at most the task it is running. Between the jobs of one forward pass (microseconds apart) workers poll for
// `spin_us` before sleeping, which saves a wake-up per matrix product without burning a core when idle.

struct ck_pool {
    int threads;
    int spin_us;
    pthread_t *workers;
    pthread_mutex_t run_lock;  // one job at a time; a second caller runs its tasks inline
    pthread_mutex_t lock;
    pthread_cond_t wake;   // workers wait here for a new job
    pthread_cond_t done;   // the caller waits here for the last task
    _Atomic uint64_t job;  // generation; odd = open
    ck_task_fn task;
    void *context;
    long count;
    _Atomic long next;
    _Atomic long finished;
    _Atomic int active;    // workers inside the current job
    int stopping;
    int caller_sleeping;
};

static _Thread_local int inside_task;

static uint64_t now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static void take_tasks(ck_pool *pool, int thread) {
    long count = pool->count, done = 0;
    for (;;) {
        long index = atomic_fetch_add_explicit(&pool->next, 1, memory_order_relaxed);
        if (index >= count) break;
        pool->task(pool->context, index, thread);
        done++;
    }
    if (done && atomic_fetch_add_explicit(&pool->finished, done, memory_order_acq_rel) + done == count) {
        pthread_mutex_lock(&pool->lock);
        if (pool->caller_sleeping) pthread_cond_signal(&pool->done);
        pthread_mutex_unlock(&pool->lock);
    }
}

typedef struct { ck_pool *pool; int thread; } worker_start;

static void *worker_main(void *argument) {
    worker_start start = *(worker_start *)argument;
    free(argument);
    ck_pool *pool = start.pool;
    inside_task = 1;
    uint64_t seen = 0;
    for (;;) {
        uint64_t job = atomic_load_explicit(&pool->job, memory_order_acquire);
        if (job == seen || !(job & 1)) {
            uint64_t deadline = now_us() + (uint64_t)pool->spin_us;
            int polls = 0;
            while ((job == seen || !(job & 1)) && (pool->spin_us > 0 && ((++polls & 63) || now_us() < deadline))) {
                _mm_pause();
                job = atomic_load_explicit(&pool->job, memory_order_acquire);
            }
            if (job == seen || !(job & 1)) {
                pthread_mutex_lock(&pool->lock);
                while (!pool->stopping && ((job = atomic_load(&pool->job)) == seen || !(job & 1)))
                    pthread_cond_wait(&pool->wake, &pool->lock);
                int stop = pool->stopping;
                pthread_mutex_unlock(&pool->lock);
                if (stop) return NULL;
            }
        }
        seen = job;
        // Register, then check the job is still the one we saw: the caller waits for registered workers only.
        atomic_fetch_add(&pool->active, 1);
        if (atomic_load(&pool->job) == job) take_tasks(pool, start.thread);
        atomic_fetch_sub(&pool->active, 1);
    }
}

ck_pool *ck_pool_create(int threads, int spin_us) {
    ck_pool *pool = calloc(1, sizeof *pool);
    if (!pool) return NULL;
    pool->threads = threads < 1 ? 1 : threads;
    pool->spin_us = spin_us < 0 ? 0 : spin_us;
    pthread_mutex_init(&pool->run_lock, NULL);
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->done, NULL);
    pool->workers = calloc((size_t)pool->threads, sizeof(pthread_t));
    for (int i = 1; i < pool->threads; i++) {
        worker_start *start = malloc(sizeof *start);
        start->pool = pool;
        start->thread = i;
        if (pthread_create(&pool->workers[i], NULL, worker_main, start) != 0) {
            free(start);
            pool->threads = i;  // run with the workers that did start
            break;
        }
    }
    return pool;
}

void ck_pool_destroy(ck_pool *pool) {
    if (!pool) return;
    pthread_mutex_lock(&pool->lock);
    pool->stopping = 1;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 1; i < pool->threads; i++) pthread_join(pool->workers[i], NULL);
    pthread_cond_destroy(&pool->wake);
    pthread_cond_destroy(&pool->done);
    pthread_mutex_destroy(&pool->lock);
    pthread_mutex_destroy(&pool->run_lock);
    free(pool->workers);
    free(pool);
}

int ck_pool_threads(const ck_pool *pool) { return pool ? pool->threads : 1; }

void ck_pool_run(ck_pool *pool, long count, ck_task_fn task, void *context) {
    if (count <= 0) return;
    if (!pool || pool->threads == 1 || count == 1 || inside_task || pthread_mutex_trylock(&pool->run_lock) != 0) {
        for (long i = 0; i < count; i++) task(context, i, 0);
        return;
    }
    pool->task = task;
    pool->context = context;
    pool->count = count;
    atomic_store(&pool->next, 0);
    atomic_store(&pool->finished, 0);
    pthread_mutex_lock(&pool->lock);
    atomic_fetch_add(&pool->job, 1);  // open (odd)
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);

    inside_task = 1;
    take_tasks(pool, 0);
    inside_task = 0;

    if (atomic_load_explicit(&pool->finished, memory_order_acquire) != count) {
        uint64_t deadline = now_us() + (uint64_t)pool->spin_us;
        int polls = 0;
        while (atomic_load_explicit(&pool->finished, memory_order_acquire) != count
               && pool->spin_us > 0 && ((++polls & 63) || now_us() < deadline))
            _mm_pause();
        pthread_mutex_lock(&pool->lock);
        pool->caller_sleeping = 1;
        while (atomic_load(&pool->finished) != count) pthread_cond_wait(&pool->done, &pool->lock);
        pool->caller_sleeping = 0;
        pthread_mutex_unlock(&pool->lock);
    }
    atomic_fetch_add(&pool->job, 1);  // closed (even): late workers back out
    while (atomic_load(&pool->active) != 0) _mm_pause();  // registered workers are leaving take_tasks
    pthread_mutex_unlock(&pool->run_lock);
}

// MARK: scratch

enum { SCRATCH_SLOTS = 4 };
static _Thread_local void *scratch_buffers[SCRATCH_SLOTS];
static _Thread_local size_t scratch_sizes[SCRATCH_SLOTS];

void *ck_scratch(int slot, size_t bytes) {
    if (slot < 0 || slot >= SCRATCH_SLOTS) return NULL;
    if (bytes > scratch_sizes[slot]) {
        free(scratch_buffers[slot]);
        size_t rounded = (bytes + 4095) & ~(size_t)4095;
        scratch_buffers[slot] = aligned_alloc(64, rounded);
        scratch_sizes[slot] = scratch_buffers[slot] ? rounded : 0;
    }
    return scratch_buffers[slot];
}

double ck_pool_worker_cpu_seconds(const ck_pool *pool) {
    double total = 0;
    for (int i = 1; pool && i < pool->threads; i++) {
        clockid_t clock;
        struct timespec t;
        if (pthread_getcpuclockid(pool->workers[i], &clock) == 0 && clock_gettime(clock, &t) == 0)
            total += (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
    }
    return total;
}
