//! History is append-only in the database itself, whoever connects.

use diesel::prelude::*;
use persistence::schema::forecast_history as h;
use persistence::{Db, DbSettings, StoreError, Target};

#[test]
fn the_database_refuses_to_change_or_delete_history() {
    let dir = std::env::temp_dir().join(format!("quota-history-{}", std::process::id()));
    let pg = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty());
    let name = format!("quota_history_{}", std::process::id());
    let target = match &pg {
        Some(admin) => Target::Postgres(persistence::db::testing::create_database(admin, &name).unwrap()),
        None => Target::Sqlite(dir.join("h.db")),
    };
    let db = Db::open(DbSettings::new(target));
    db.migrate().unwrap();
    db.write(|c| {
        diesel::insert_into(h::table)
            .values((
                h::forecast_id.eq("f1"),
                h::to_status.eq("draft"),
                h::actor.eq("u"),
                h::role.eq("employer"),
                h::at.eq(chrono::Utc::now().naive_utc()),
            ))
            .execute(c)?;
        Ok::<_, StoreError>(())
    })
    .unwrap();
    let update = db.write(|c| Ok::<_, StoreError>(diesel::update(h::table).set(h::reason.eq("rewritten")).execute(c)?));
    assert!(matches!(&update, Err(StoreError::Database(e)) if e.to_string().contains("append-only")), "{update:?}");
    let delete = db.write(|c| Ok::<_, StoreError>(diesel::delete(h::table).execute(c)?));
    assert!(matches!(&delete, Err(StoreError::Database(e)) if e.to_string().contains("append-only")), "{delete:?}");
    let count: i64 = db.read(|c| Ok::<_, StoreError>(h::table.count().get_result(c)?)).unwrap();
    assert_eq!(count, 1);
    drop(db);
    if let Some(admin) = pg {
        persistence::db::testing::drop_database(&admin, &name).unwrap();
    }
    let _ = std::fs::remove_dir_all(dir);
}
