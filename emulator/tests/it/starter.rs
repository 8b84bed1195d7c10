//! The project `apigw init` writes runs under the emulator straight away, with nothing installed
//! beyond Python 3: its starter route answers over a real socket.

use apigw_compiler::frontend::dsl;
use apigw_compiler::ir::ApiKind;
use apigw_compiler::{compile, FsWorld, Options};
use camino::Utf8PathBuf;

use crate::support::{self, get};

async fn starter_answers(kind: ApiKind, label: &str, target: &str) {
    let dir = std::env::temp_dir().join(format!("apigw-starter-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in dsl::starter(kind, "starter") {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let spec = Utf8PathBuf::from_path_buf(dir.join("api.yaml")).unwrap();
    let compilation = compile(&FsWorld, &spec, &Options::default());
    assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
    assert_eq!(compilation.apis.len(), 1);

    let base_dir = dir.clone();
    let running = support::start_with(&compilation.apis, move |options| {
        options.base_dir = base_dir;
    })
    .await;
    let address = running.address(&compilation.apis[0].name);
    let response = get(address, target).await;
    assert_eq!(
        response.status,
        200,
        "{}\n{}",
        response.text(),
        running.log_text()
    );
    assert!(response.text().contains("world"), "{}", response.text());
    running.server.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn rest_starter_answers_on_its_stage() {
    starter_answers(ApiKind::Rest, "rest", "/dev/hello/world").await;
}

#[tokio::test]
async fn http_starter_answers_on_the_default_stage() {
    starter_answers(ApiKind::Http, "http", "/hello/world").await;
}
