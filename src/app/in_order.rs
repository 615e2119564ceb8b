//! Checks jobs on the thread pool and hands their outcomes back in job order.
//!
//! Jobs go to the pool in batches, several batches at a time, so the workers never wait for one
//! batch's slowest job before starting the next, while the calling thread reports each batch as
//! soon as it and every batch before it are done. At most `IN_FLIGHT` batches are checked or
//! waiting to be reported at once, which bounds the memory their outcomes (file contents and
//! diagnostics) hold.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use rayon::prelude::*;

/// Batches handed to the pool and not yet reported. With 4, the workers of a site export
/// (20,000 files, 700 MB of JSON reported on the calling thread) waited for a slot at times:
/// 1.85 CPUs busy against 1.89 with 12.
pub const IN_FLIGHT: usize = 12;

/// Runs `check` on every job on `pool` (rayon's global pool when `None`) and calls `report` with
/// the outcomes of each run of `batch` jobs, in job order. When `report` fails, jobs not yet
/// started are skipped and its error is returned once the pool is done with the rest. A panic
/// in `check` is resumed on the calling thread.
pub fn check_in_order<J, O, E>(
    jobs: &[J],
    batch: usize,
    pool: Option<&rayon::ThreadPool>,
    check: impl Fn(&J) -> O + Sync,
    mut report: impl FnMut(Vec<O>) -> Result<(), E>,
) -> Result<(), E>
where
    J: Sync,
    O: Send,
{
    let batch = batch.max(1);
    let stop = AtomicBool::new(false);
    let (done_tx, done_rx) = mpsc::channel::<(usize, std::thread::Result<Vec<O>>)>();
    // A slot is taken before a batch goes to the pool and given back once it is reported.
    let (slot_tx, slot_rx) = mpsc::sync_channel::<()>(IN_FLIGHT);
    let (stop, check) = (&stop, &check);
    std::thread::scope(|scope| {
        let feeder = scope.spawn(move || match pool {
            Some(pool) => {
                pool.in_place_scope_fifo(|s| feed(s, jobs, batch, stop, check, slot_tx, done_tx))
            }
            None => {
                rayon::in_place_scope_fifo(|s| feed(s, jobs, batch, stop, check, slot_tx, done_tx))
            }
        });
        let mut waiting: BTreeMap<usize, Vec<O>> = BTreeMap::new();
        let mut next = 0;
        let mut result = Ok(());
        let mut panicked = None;
        'receive: for (k, outcomes) in &done_rx {
            let outcomes = match outcomes {
                Ok(outcomes) => outcomes,
                Err(panic) => {
                    panicked = Some(panic);
                    stop.store(true, Ordering::Relaxed);
                    break 'receive;
                }
            };
            waiting.insert(k, outcomes);
            while let Some(outcomes) = waiting.remove(&next) {
                if let Err(e) = report(outcomes) {
                    result = Err(e);
                    stop.store(true, Ordering::Relaxed);
                    break 'receive;
                }
                next += 1;
                // Give the batch's slot back: the feeder took it before sending the batch.
                let _ = slot_rx.try_recv();
            }
        }
        // Let the feeder stop (its next `send` fails) and the batches in flight finish.
        drop(slot_rx);
        drop(done_rx);
        if let Some(panic) = feeder.join().err().or(panicked) {
            std::panic::resume_unwind(panic);
        }
        result
    })
}

/// Hands `jobs` to the pool batch by batch, each once a slot is free, until they are all
/// handed or the reporting has stopped.
fn feed<'scope, J, O, F>(
    s: &rayon::ScopeFifo<'scope>,
    jobs: &'scope [J],
    batch: usize,
    stop: &'scope AtomicBool,
    check: &'scope F,
    slot_tx: mpsc::SyncSender<()>,
    done_tx: mpsc::Sender<(usize, std::thread::Result<Vec<O>>)>,
) where
    J: Sync,
    O: Send + 'scope,
    F: Fn(&J) -> O + Sync,
{
    for (k, chunk) in jobs.chunks(batch).enumerate() {
        if slot_tx.send(()).is_err() {
            break; // the reporting has stopped
        }
        let done = done_tx.clone();
        s.spawn_fifo(move |_| {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            // A panic goes to the reporting loop, which stops the feeder (that may be waiting
            // for a slot) before resuming it.
            let outcomes = std::panic::catch_unwind(AssertUnwindSafe(|| {
                chunk.par_iter().map(check).collect::<Vec<O>>()
            }));
            // The receiver is gone only once the reporting has stopped.
            let _ = done.send((k, outcomes));
        });
    }
    // The reporting loop ends once every sender is dropped: this one, and each batch's clone.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a pool")
    }

    /// A job that takes longer the smaller `i % 7`, so batches finish out of order.
    fn slow_square(i: &u64) -> u64 {
        std::thread::sleep(std::time::Duration::from_micros(50 * (7 - i % 7)));
        i * i
    }

    #[test]
    fn outcomes_come_back_in_job_order_on_any_pool() {
        let jobs: Vec<u64> = (0..1000).collect();
        let expected: Vec<u64> = jobs.iter().map(|i| i * i).collect();
        for threads in [1, 2, 4] {
            let pool = pool(threads);
            for batch in [1, 7, 64, 5000] {
                let mut got = Vec::new();
                let mut batches = 0;
                check_in_order(&jobs, batch, Some(&pool), slow_square, |outcomes| {
                    assert!(outcomes.len() <= batch);
                    batches += 1;
                    got.extend(outcomes);
                    Ok::<(), ()>(())
                })
                .expect("no error");
                assert_eq!(got, expected, "{threads} threads, batch {batch}");
                assert_eq!(batches, jobs.len().div_ceil(batch));
            }
        }
        let mut none = 0;
        check_in_order(&[] as &[u64], 8, None, slow_square, |_| {
            none += 1;
            Ok::<(), ()>(())
        })
        .expect("no error");
        assert_eq!(none, 0);
    }

    #[test]
    fn a_failed_report_stops_the_jobs_not_yet_started() {
        let jobs: Vec<u64> = (0..10_000).collect();
        let checked = AtomicUsize::new(0);
        let mut reported = 0;
        let result = check_in_order(
            &jobs,
            10,
            Some(&pool(2)),
            |i| {
                checked.fetch_add(1, Ordering::Relaxed);
                slow_square(i)
            },
            |outcomes| {
                reported += outcomes.len();
                if reported >= 30 {
                    Err("broken pipe")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err("broken pipe"));
        assert_eq!(reported, 30);
        // The batches in flight when the report failed may finish; no more are started.
        let checked = checked.load(Ordering::Relaxed);
        assert!(checked <= 10 * (3 + IN_FLIGHT), "{checked} jobs checked");
    }

    #[test]
    fn a_panic_in_a_job_reaches_the_caller() {
        let jobs: Vec<u64> = (0..100).collect();
        let caught = std::panic::catch_unwind(|| {
            let _ = check_in_order(
                &jobs,
                8,
                Some(&pool(2)),
                |&i| {
                    assert!(i != 42, "job 42 fails");
                    i
                },
                |_| Ok::<(), ()>(()),
            );
        });
        assert!(caught.is_err());
    }
}
