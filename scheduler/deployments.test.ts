import * as assert from "assert";
import { ScheduleConfig } from "../stacks/config/schedule";
import { ofType, planSnippet } from "../engine/testing/plan";
import { createDeploymentSchedules, planDeployments } from "./deployments";

const schedule: ScheduleConfig = {
    schedulable: true, timeZone: "Europe/Berlin", workingDays: ["mon", "tue", "wed", "thu", "fri"],
    start: "07:00", stop: "19:00", holidays: [], keepUpUntil: "",
};
const target = { organization: "acme", project: "intergalactic", stack: "dev", repoUrl: "https://github.com/acme/infra.git", branch: "main", repoDir: "." };

describe("Pulumi Deployments schedules", () => {
    it("pairs one DeploymentSettings that runs the reconciler with a DeploymentSchedule per UTC cron entry", async () => {
        const plan = await planSnippet(() => createDeploymentSchedules(target, planDeployments(target, schedule, new Date("2026-11-23T00:00:00Z"))));
        const [settings] = ofType(plan, "pulumiservice:index:DeploymentSettings");
        assert.deepStrictEqual(settings.inputs.sourceContext, { git: { repoUrl: target.repoUrl, branch: "main", repoDir: "." } });
        assert.deepStrictEqual(settings.inputs.operationContext, {
            preRunCommands: ["npm ci --no-audit --no-fund", "npm run schedule -- --stack dev"],
            options: { skipInstallDependencies: true },
        });
        const schedules = ofType(plan, "pulumiservice:index:DeploymentSchedule");
        assert.deepStrictEqual(schedules.map((s) => [s.name, s.inputs.scheduleCron, s.inputs.pulumiOperation, s.inputs.stack]), [
            ["dev-spin-up-0600z-1-5", "0 6 * * 1-5", "refresh", "dev"],
            ["dev-teardown-1800z-1-5", "0 18 * * 1-5", "refresh", "dev"],
            ["dev-spin-up-0500z-1-5", "0 5 * * 1-5", "refresh", "dev"],
            ["dev-teardown-1700z-1-5", "0 17 * * 1-5", "refresh", "dev"],
        ]);
        assert.ok(schedules.every((s) => s.dependencies.includes(settings.urn)));
    });
});
