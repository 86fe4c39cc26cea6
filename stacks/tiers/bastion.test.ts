import * as assert from "assert";
import { stackPlan } from "../../engine/testing/plan";
import { Plan } from "../../engine/format";
import { named, ofType } from "../../engine/testing/plan";
import { Problems } from "../../components/common/validation";
import { parseBastion } from "../config/bastion";
import { ConfigObject } from "../config/reader";

const parse = (value: Record<string, unknown>) => {
    const problems = new Problems("stack config");
    const config = parseBastion(new ConfigObject("intergalactic:bastion", value, problems));
    return { config, problems };
};

describe("the bastion tier", () => {
    describe("intergalactic:bastion", () => {
        it("defaults to a small bastion without SSH, jump box or key, zone-redundant on Azure", () => {
            const { config, problems } = parse({});
            assert.strictEqual(problems.count, 0);
            assert.deepStrictEqual(config, { sshAllowedCidrs: [], jumpBox: false, sshPublicKey: undefined, size: "small", zones: ["1", "2", "3"] });
        });

        it("names the key, the value and the rule for a wrong value or an unknown key", () => {
            const { problems } = parse({ size: "tiny", jumpBox: "yes", sshAllowedCidr: ["10.0.0.0/8"] });
            assert.throws(() => problems.throwIfAny(), (err: Error) =>
                /intergalactic:bastion.size: "tiny" is not allowed: use one of small, medium, large/.test(err.message)
                && /intergalactic:bastion.jumpBox: "yes" must be true or false/.test(err.message)
                && /intergalactic:bastion.sshAllowedCidr: unknown key/.test(err.message));
        });
    });

    describe("in the dev stacks", () => {
        let aws: Plan;
        let azure: Plan;
        before(async () => {
            aws = await stackPlan("dev");
            azure = await stackPlan("dev-azure");
        });

        it("puts an SSM-managed auto scaling group over the public subnets of every zone into dev", () => {
            const group = named(aws, "aws:autoscaling/group:Group", "bastion-asg");
            const publicSubnets = ofType(aws, "aws:ec2/subnet:Subnet").filter((s) => /^net-public-/.test(s.name)).map((s) => s.id);
            assert.strictEqual(publicSubnets.length, 3);
            assert.deepStrictEqual(group.inputs.vpcZoneIdentifiers, publicSubnets);
            assert.strictEqual(named(aws, "aws:ec2/securityGroup:SecurityGroup", "bastion-sg").inputs.vpcId, named(aws, "aws:ec2/vpc:Vpc", "net-vpc").id);
            const bastionComponent = named(aws, "intergalactic:index:BastionHost", "bastion");
            const bastionIngress = ofType(aws, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.parent === bastionComponent.urn);
            assert.deepStrictEqual(bastionIngress, [], "the bastion opens no inbound port without SSH ranges");
            assert.match(String(aws.stackOutputs.bastionConnection), /^aws ssm start-session --region us-east-1 /);
        });

        it("puts a zone-redundant Azure Bastion into the network's AzureBastionSubnet in dev-azure", () => {
            const bastion = named(azure, "azure-native:network:BastionHost", "bastion-bastion");
            const subnet = named(azure, "azure-native:network:Subnet", "net-bastion");
            assert.strictEqual(subnet.inputs.subnetName, "AzureBastionSubnet");
            const [ipConfig] = bastion.inputs.ipConfigurations as { subnet: { id: string } }[];
            assert.strictEqual(ipConfig.subnet.id, subnet.id);
            assert.deepStrictEqual(bastion.inputs.zones, ["1", "2", "3"]);
            assert.strictEqual(bastion.inputs.resourceGroupName, named(azure, "azure-native:resources:ResourceGroup", "net-rg").outputs.name);
            assert.strictEqual(azure.stackOutputs.bastionHostId, bastion.id);
        });

        it("loads no AWS resource into the Azure stack and no Azure resource into the AWS stack", () => {
            assert.deepStrictEqual(azure.resources.filter((r) => r.type.startsWith("aws:")), []);
            assert.deepStrictEqual(aws.resources.filter((r) => r.type.startsWith("azure-native:")), []);
        });
    });
});
