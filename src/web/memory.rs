//! What an instance remembers between requests — the door's readings of the catalogue, the
//! screenings a booking lately found sold out — owned by the instance ([`super::AppState`]), not
//! by the process: two instances in one process (as the tests start them) remember apart, as two
//! servers do.
//!
//! Each feature keeps its own kind of memory (a type that [`Remembers`]) and finds it with
//! [`Memory::get`]; this layer knows none of them. After every write that commits through the
//! instance, each is told what the write changed ([`Changed`], recorded by the write in its
//! `Tx`) and forgets what that makes stale. What another instance changes is not told: each kind
//! says how long it trusts what it remembers.

use std::any::{Any, TypeId};
use std::sync::{Arc, RwLock};

pub use crate::db::tx::Changed;

/// A kind of memory an instance keeps.
pub trait Remembers: Any + Send + Sync + Default {
    /// A write committed through this instance changed this: forget what it makes stale.
    fn forget(&self, changed: &Changed);
}

/// One instance's memories, each kind made on first use.
#[derive(Default)]
pub struct Memory {
    kinds: RwLock<Vec<Kind>>,
}

struct Kind {
    id: TypeId,
    value: Arc<dyn Any + Send + Sync>,
    forget: fn(&(dyn Any + Send + Sync), &Changed),
}

fn forget_as<T: Remembers>(value: &(dyn Any + Send + Sync), changed: &Changed) {
    if let Some(memory) = value.downcast_ref::<T>() {
        memory.forget(changed);
    }
}

impl Memory {
    /// This instance's memory of kind `T`.
    pub fn get<T: Remembers>(&self) -> Arc<T> {
        let find = |kinds: &[Kind]| {
            kinds
                .iter()
                .find(|kind| kind.id == TypeId::of::<T>())
                .and_then(|kind| Arc::clone(&kind.value).downcast::<T>().ok())
        };
        // A panic while holding the lock leaves a list that is still whole.
        if let Some(found) = find(
            &self
                .kinds
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        ) {
            return found;
        }
        let mut kinds = self
            .kinds
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(found) = find(&kinds) {
            return found;
        }
        let made = Arc::new(T::default());
        kinds.push(Kind {
            id: TypeId::of::<T>(),
            value: made.clone(),
            forget: forget_as::<T>,
        });
        made
    }

    /// Tells every kind what a committed write changed.
    pub fn forget(&self, changed: &Changed) {
        if changed == &Changed::default() {
            return;
        }
        for kind in self
            .kinds
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
        {
            (kind.forget)(kind.value.as_ref(), changed);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[derive(Default)]
    struct Counted(AtomicUsize);

    impl Remembers for Counted {
        fn forget(&self, changed: &Changed) {
            if changed.catalogue {
                self.0.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    #[test]
    fn each_instance_has_its_own_and_is_told_what_changed() {
        let (one, two) = (Memory::default(), Memory::default());
        assert!(Arc::ptr_eq(&one.get::<Counted>(), &one.get::<Counted>()));
        assert!(!Arc::ptr_eq(&one.get::<Counted>(), &two.get::<Counted>()));
        one.forget(&Changed {
            catalogue: true,
            ..Changed::default()
        });
        assert_eq!(one.get::<Counted>().0.load(Ordering::Relaxed), 1);
        assert_eq!(two.get::<Counted>().0.load(Ordering::Relaxed), 0);
    }
}
