//! A stored code that is none of its values is refused where the row is
//! read: one `Corrupt` error naming what the column holds and the value,
//! never a default, never a row left out.

use diesel::prelude::*;
use persistence::forecasts::HistoryRow;
use persistence::schema::forecast_history as h;
use persistence::{Db, DbSettings, StoreError, Target};

#[test]
fn a_role_that_is_no_role_is_corrupt_data() {
    let dir = std::env::temp_dir().join(format!("quota-corrupt-{}", std::process::id()));
    let pg = std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty());
    let name = format!("quota_corrupt_{}", std::process::id());
    let target = match &pg {
        Some(admin) => Target::Postgres(persistence::db::testing::create_database(admin, &name).unwrap()),
        None => Target::Sqlite(dir.join("c.db")),
    };
    let db = Db::open(DbSettings::new(target));
    db.migrate().unwrap();
    let row = |role: &'static str| {
        (
            h::forecast_id.eq("f1"),
            h::to_status.eq("draft"),
            h::actor.eq("u"),
            h::role.eq(role),
            h::at.eq(chrono::Utc::now().naive_utc()),
        )
    };
    db.write(|c| Ok::<_, StoreError>(diesel::insert_into(h::table).values(row("employer")).execute(c)?)).unwrap();
    let rows = |c: &mut persistence::DbConnection| {
        Ok::<_, StoreError>(h::table.order(h::seq).select(HistoryRow::as_select()).load(c)?)
    };
    let read = db.read(rows).unwrap();
    assert_eq!(read[0].role, domain::role::Role::Employer);
    // A role no release ever wrote (the column has no CHECK): the whole read
    // fails, naming the value, rather than showing a default role.
    db.write(|c| Ok::<_, StoreError>(diesel::insert_into(h::table).values(row("emperor")).execute(c)?)).unwrap();
    let read = db.read(rows);
    assert!(matches!(&read, Err(StoreError::Corrupt { column: "role", value }) if value == "emperor"), "{read:?}");
    drop(db);
    if let Some(admin) = pg {
        persistence::db::testing::drop_database(&admin, &name).unwrap();
    }
    let _ = std::fs::remove_dir_all(dir);
}
