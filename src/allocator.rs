//! The binary's memory allocator: mimalloc for small blocks, the system's for large ones.
//!
//! A folder check makes millions of small, short-lived allocations on several threads (texts,
//! maps, hits, claims, diagnostics), many of them freed on the thread that reports: mimalloc
//! serves these with less work than glibc's malloc (the site tree of `bench/` took 5 to 7 %
//! less CPU). A long export needs a few buffers of hundreds of megabytes that grow: glibc
//! grows them in place with `mremap` and gives them back to the system when freed, where
//! mimalloc alone copied them and kept more pages (big.md: 3.4 s and 670 MB against 2.4 s and
//! 570 MB). So each block goes by its size: a block's layout is the same when it is allocated,
//! grown and freed, which says which allocator owns it.

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;

/// Blocks of this size or more are the system allocator's.
const LARGE: usize = 64 * 1024;

pub struct Allocator;

/// The allocator that owns blocks of `size` bytes.
fn owner(size: usize) -> &'static dyn GlobalAlloc {
    if is_large(size) { &System } else { &MiMalloc }
}

fn is_large(size: usize) -> bool {
    size >= LARGE
}

// SAFETY: every method hands the block to the allocator that its size names, and a block's size
// (from its layout, which Rust passes unchanged to `dealloc` and `realloc`) names the same
// allocator for its whole life; a block that moves from one to the other is copied.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees on `layout` are passed on.
        unsafe { owner(layout.size()).alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe { owner(layout.size()).alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated with `layout`, so by the allocator its size names.
        unsafe { owner(layout.size()).dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let (from, to) = (owner(layout.size()), owner(new_size));
        // (Both allocators are zero-sized: their references cannot tell them apart.)
        let same = is_large(layout.size()) == is_large(new_size);
        // SAFETY: within one allocator, the caller's guarantees are passed on. Across the two,
        // the new block is allocated with the same alignment (a valid layout: the caller
        // guarantees `new_size`, rounded up to it, does not overflow), the bytes both blocks
        // hold are copied, and the old block is freed with its own layout.
        unsafe {
            if same {
                return from.realloc(ptr, layout, new_size);
            }
            let new = to.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                from.dealloc(ptr, layout);
            }
            new
        }
    }
}

#[cfg(test)]
mod tests {
    /// Vectors that grow and shrink across the threshold keep their contents (the global
    /// allocator of this test binary is `Allocator`).
    #[test]
    fn blocks_moved_between_the_allocators_keep_their_bytes() {
        let small = super::LARGE / 2;
        let mut v: Vec<u8> = (0..small).map(|i| (i % 251) as u8).collect();
        v.reserve_exact(super::LARGE * 2); // small → large
        v.extend((small..super::LARGE * 2).map(|i| (i % 251) as u8));
        assert!(v.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
        v.truncate(100);
        v.shrink_to_fit(); // large → small
        assert!(v.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
        let zeroed = vec![0u64; super::LARGE]; // large, zeroed
        assert!(zeroed.iter().all(|&x| x == 0));
        let mut grown = vec![7u8; super::LARGE]; // large → larger
        grown.resize(super::LARGE * 16, 9);
        assert_eq!((grown[super::LARGE - 1], grown[super::LARGE]), (7, 9));
    }
}
