import * as assert from "assert";
import { Plan } from "../../engine/format";
import { planSnippet } from "../../engine/testing/plan";
import { CookieServices } from "./cookieServices";
import { pipelineTopics } from "./cookiePipeline";
import { DataStoreKind, ServiceSpec } from "./serviceSpec";
import { assertConsistent, awsArgs, kubernetesResources, manifestOf, manifests, testProvider, validateManifest, withoutStackTraces } from "./fixtures.test";

/**
 * Sixty services as configuration only: twelve pipelines of five stages shaped like the cookie
 * pipeline (an entry, two synchronous stages, two asynchronous ones over topics).
 */
function sixtyServices(): ServiceSpec[] {
    return Array.from({ length: 60 }, (_, i) => {
        const group = Math.floor(i / 5);
        const stage = i % 5;
        const name = (s: number) => `team${group}-stage${s}`;
        const topic = (s: number) => `team${group}.after-stage${s}`;
        return {
            name: name(stage),
            image: `registry.example.com/team${group}/stage${stage}`,
            public: i === 0,
            callers: stage === 0 ? (i === 0 ? [] : [`team${group - 1}-stage0`]) : stage <= 2 ? [name(stage - 1)] : [],
            consumes: stage >= 3 ? [topic(stage - 1)] : [],
            produces: stage >= 2 && stage < 4 ? [topic(stage)] : [],
            dataStores: stage >= 2 ? [DataStoreKind.Kafka] : stage === 1 ? [DataStoreKind.Redis] : [DataStoreKind.Mongo],
            maxReplicas: 4 + group,
        };
    });
}

describe("CookieServices with sixty services", () => {
    let plan: Plan;
    const services = sixtyServices();
    before(async () => {
        plan = await withoutStackTraces(() => planSnippet(() => new CookieServices("cookies", awsArgs({ services, kafkaTopics: pipelineTopics(services) }), {
            providers: { kubernetes: testProvider() },
        })));
    });

    it("plans every service from configuration alone", () => {
        for (const kind of ["Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Service", "ServiceAccount"]) {
            assert.strictEqual(manifests(plan, kind).length, 60, kind);
        }
        assert.strictEqual(manifests(plan, "NetworkPolicy").length, 62);
    });

    it("keeps every object schema-valid and every selector and reference consistent", () => {
        for (const r of kubernetesResources(plan)) validateManifest(manifestOf(r));
        assertConsistent(plan);
    });

    it("gives no two objects of a kind the same name", () => {
        const keys = kubernetesResources(plan).map((r) => `${r.type}/${(r.inputs.metadata as { name: string }).name}`);
        assert.strictEqual(new Set(keys).size, keys.length);
        const urns = plan.resources.map((r) => r.urn);
        assert.strictEqual(new Set(urns).size, urns.length);
    });
});
