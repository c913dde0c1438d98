//! `GET /api/offers/{id}/shortlist?top=20` with HTTP Basic, warm, through
//! the web server's whole stack (routing, login gate, JSON) in process,
//! over 10,000 and 100,000 generated profiles: three offers per iteration.
//! `bench/e2e-vs-peer.sh` measures the same over TCP against `lotse serve`.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use base64::Engine as _;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use http_body_util::BodyExt;
use lotse::accounts::{Accounts, Role};
use lotse::web::{router, AppState};
use std::hint::black_box;
use tower::ServiceExt;

const USER: (&str, &str) = ("bench", "bench-passwort");

fn api(c: &mut Criterion) {
    let mut group = c.benchmark_group("api_shortlist");
    group.sample_size(20);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    for profiles in [10_000, 100_000] {
        let data = common::data(profiles, 1_000);
        let mut accounts = Accounts::load(&data.users()).unwrap_or_default();
        accounts
            .add(USER.0, Role::Advisor, USER.1, true)
            .expect("account");
        accounts.save(&data.users()).expect("accounts");
        let state = AppState::open(data.clone(), data.default_index(), None).expect("server");
        let app = router(state);
        let token =
            base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", USER.0, USER.1));
        let offers: Vec<String> = (1..=3)
            .map(|i| format!("/api/offers/GA-{:06}/shortlist?top=20", i * 97))
            .collect();
        let get = |uri: &str| {
            let req = Request::get(uri)
                .header(header::AUTHORIZATION, format!("Basic {token}"))
                .body(Body::empty())
                .expect("request");
            runtime.block_on(async {
                let res = app.clone().oneshot(req).await.expect("answer");
                assert_eq!(res.status(), StatusCode::OK, "{uri}");
                res.into_body().collect().await.expect("body").to_bytes()
            })
        };
        // Warm: the password checked once, the bounds built.
        for uri in &offers {
            get(uri);
        }
        group.bench_with_input(BenchmarkId::new("top20", profiles), &offers, |b, offers| {
            b.iter(|| {
                for uri in offers {
                    black_box(get(uri));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, api);
criterion_main!(benches);
