//! The migrations are embedded in the binary (`diesel_migrations::embed_migrations!`): a new or
//! changed migration must rebuild it, which cargo does not know without being told.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
