//! The five seed pages in ../shared/seeds (filled in once the pack covers them).
