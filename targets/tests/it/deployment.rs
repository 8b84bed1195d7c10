//! The REST deployment follows the API's content and nothing else; output is deterministic.

use apigw_compiler::ir::{Expr, HttpMethod, RouteKey};
use apigw_targets::cloudformation::{self, Mode};
use apigw_targets::Format;
use serde_json::Value;

use super::builds::options;
use super::fixtures::pet_store;

fn template(api: &apigw_compiler::ir::Api, mode: Mode) -> (String, Value) {
    let out =
        cloudformation::emit(std::slice::from_ref(api), &options(Format::Json, mode)).unwrap();
    let text = out.output[0].contents.clone();
    let value = serde_json::from_str(&text).unwrap();
    (text, value)
}

fn deployment_id(template: &Value) -> String {
    let ids: Vec<&String> = template["Resources"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, resource)| resource["Type"] == "AWS::ApiGateway::Deployment")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids.len(), 1, "exactly one deployment");
    ids[0].clone()
}

fn resource_ids(template: &Value) -> Vec<String> {
    template["Resources"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[test]
fn changing_one_route_redeploys_and_moves_nothing_else() {
    for mode in [Mode::Body, Mode::Resources] {
        let api = pet_store();
        let (_, before) = template(&api, mode);
        let mut changed = api.clone();
        let route = changed
            .routes
            .iter_mut()
            .find(|route| {
                route.key
                    == RouteKey::Http {
                        method: HttpMethod::Get,
                        path: "/pets".into(),
                    }
            })
            .unwrap();
        route.integration.as_mut().unwrap().timeout_ms =
            Some(apigw_compiler::ir::Spanned::new(5000, Default::default()));
        let (_, after) = template(&changed, mode);

        let old_deployment = deployment_id(&before);
        let new_deployment = deployment_id(&after);
        assert_ne!(old_deployment, new_deployment, "{mode:?}: the API changed");
        // Every stage follows the new deployment.
        for (id, resource) in after["Resources"].as_object().unwrap() {
            if resource["Type"] == "AWS::ApiGateway::Stage" {
                assert_eq!(
                    resource["Properties"]["DeploymentId"]["Ref"],
                    new_deployment.as_str(),
                    "{id}"
                );
            }
        }
        // Apart from the deployment, the same resources with the same ids; only the changed
        // method (or the body) and the stages that point at the deployment differ.
        let mut before_ids = resource_ids(&before);
        let mut after_ids = resource_ids(&after);
        before_ids.retain(|id| *id != old_deployment);
        after_ids.retain(|id| *id != new_deployment);
        assert_eq!(before_ids, after_ids);
        let differing: Vec<&String> = after_ids
            .iter()
            .filter(|id| before["Resources"][id.as_str()] != after["Resources"][id.as_str()])
            .collect();
        let expected_change = match mode {
            Mode::Body => "PetStoreApi",
            Mode::Resources => "PetStoreApiMethodGetPets",
        };
        let unexpected: Vec<&&String> = differing
            .iter()
            .filter(|id| id.as_str() != expected_change && !id.starts_with("PetStoreApiStage"))
            .collect();
        assert!(
            unexpected.is_empty(),
            "{mode:?}: unrelated changes {unexpected:?}"
        );
        assert!(differing.iter().any(|id| id.as_str() == expected_change));
    }
}

#[test]
fn changes_outside_the_api_keep_the_deployment() {
    let api = pet_store();
    let (_, before) = template(&api, Mode::Body);
    let mut changed = api.clone();
    changed.stages[0].description = Some("Production, now described differently".into());
    changed.usage_plans[0].quota.as_mut().unwrap().limit = 5;
    changed.stages[0]
        .variables
        .insert("legacyHost".into(), Expr::literal("other.example.com"));
    let (_, after) = template(&changed, Mode::Body);
    assert_eq!(deployment_id(&before), deployment_id(&after));
}

#[test]
fn building_twice_gives_identical_bytes() {
    for build in [
        super::builds::fixture_builds(),
        super::builds::fixture_builds(),
    ]
    .windows(2)
    {
        let [first, second] = build else {
            unreachable!()
        };
        assert_eq!(first.len(), second.len());
        for (a, b) in first.iter().zip(second) {
            assert_eq!(a.files, b.files, "{}", a.name);
        }
    }
}

#[test]
fn rest_templates_have_one_stage_per_ir_stage_and_no_stray_one() {
    let (_, template) = template(&pet_store(), Mode::Body);
    let stages: Vec<&str> = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|resource| resource["Type"] == "AWS::ApiGateway::Stage")
        .map(|resource| resource["Properties"]["StageName"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["prod", "staging"]);
    let deployment = &template["Resources"][deployment_id(&template).as_str()];
    assert!(deployment["Properties"].get("StageName").is_none());
}
