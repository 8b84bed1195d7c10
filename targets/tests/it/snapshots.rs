//! Snapshots of what a user sees: every fixture's template in both modes and formats, its SAM
//! template and its OpenAPI export.

#[test]
fn fixture_outputs() {
    for build in super::builds::fixture_builds() {
        for file in &build.files {
            let name = if build.files.len() == 1 {
                build.name.clone()
            } else {
                format!("{}--{}", build.name, file.path.as_str().replace('/', "-"))
            };
            insta::with_settings!({
                snapshot_path => "../../../snapshots/targets",
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(name, file.contents);
            });
        }
    }
}
