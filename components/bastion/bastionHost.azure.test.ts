import * as assert from "assert";
import { Plan } from "../../engine/format";
import { named, ofType, planSnippet } from "../../engine/testing/plan";
import { InvalidArgumentsError } from "../common/validation";
import { BastionHost, BastionHostArgs } from "./bastionHost";
import { factsOfPlan, selectSubnets } from "../network/facts";
import { planNetwork } from "../network/networkPlan";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKx0examplekeymaterial0000000000000000000 ops@example";
const VNET = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/net-rg/providers/Microsoft.Network/virtualNetworks/net-vnet";
const BASTION_SUBNET = `${VNET}/subnets/AzureBastionSubnet`;
const APP_SUBNET = `${VNET}/subnets/app-z1`;
const ASG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net-rg/providers/Microsoft.Network/applicationSecurityGroups/net-jump-asg";
const NETWORK = factsOfPlan(planNetwork("net", { cloud: "azure", cidrBlock: "10.30.0.0/16" }), {
    networkId: VNET,
    subnetId: (name) => name === "net-bastion" ? BASTION_SUBNET : `${VNET}/subnets/${name.replace(/^net-/, "")}`,
});
const args = (extra: Partial<BastionHostArgs> = {}): BastionHostArgs => ({
    cloud: "azure", network: NETWORK, location: "westeurope", ...extra,
});

const BASTION = "azure-native:network:BastionHost";
const IP = "azure-native:network:PublicIPAddress";
const VM = "azure-native:compute:VirtualMachine";
const NSG = "azure-native:network:NetworkSecurityGroup";

describe("BastionHost on Azure", () => {
    let plan: Plan;
    before(async () => {
        plan = await planSnippet(() => new BastionHost("bastion", args()));
    });

    it("deploys a Standard Azure Bastion with native-client tunneling into AzureBastionSubnet", () => {
        const bastion = named(plan, BASTION, "bastion-bastion");
        assert.deepStrictEqual(bastion.inputs.sku, { name: "Standard" });
        assert.strictEqual(bastion.inputs.enableTunneling, true);
        assert.strictEqual(bastion.inputs.enableShareableLink, false);
        assert.strictEqual(bastion.inputs.scaleUnits, 2);
        const [ipConfig] = bastion.inputs.ipConfigurations as { subnet: { id: string }; publicIPAddress: { id: string } }[];
        assert.strictEqual(ipConfig.subnet.id, BASTION_SUBNET);
        assert.match(ipConfig.subnet.id, /\/subnets\/AzureBastionSubnet$/);
        assert.strictEqual(ipConfig.publicIPAddress.id, named(plan, IP, "bastion-ip").id);
    });

    it("spans zones 1, 2 and 3 with a zone-redundant, static Standard public IP", () => {
        const ip = named(plan, IP, "bastion-ip");
        assert.deepStrictEqual(ip.inputs.sku, { name: "Standard", tier: "Regional" });
        assert.strictEqual(ip.inputs.publicIPAllocationMethod, "Static");
        assert.deepStrictEqual(ip.inputs.zones, ["1", "2", "3"]);
        assert.deepStrictEqual(named(plan, BASTION, "bastion-bastion").inputs.zones, ["1", "2", "3"]);
    });

    it("puts its resources into the resource group of the bastion subnet", () => {
        for (const resource of plan.resources.filter((r) => r.custom)) {
            assert.strictEqual(resource.inputs.resourceGroupName, "net-rg", resource.name);
        }
    });

    it("creates no VM, no NSG and nothing from AWS without a jump box", () => {
        assert.deepStrictEqual(ofType(plan, VM), []);
        assert.deepStrictEqual(ofType(plan, NSG), []);
        assert.deepStrictEqual(plan.resources.filter((r) => r.type.startsWith("aws:")), []);
    });

    it("exports the Bastion id, its public IP and an az network bastion ssh command", () => {
        const outputs = named(plan, "intergalactic:index:BastionHost", "bastion").outputs;
        assert.strictEqual(outputs.hostId, named(plan, BASTION, "bastion-bastion").id);
        assert.match(String(outputs.publicIp), /^198\.51\.100\.\d+$/);
        assert.match(String(outputs.connectionHint), /^az network bastion ssh --name bastion-bastion\w+ --resource-group net-rg --target-resource-id <vm id> --auth-type ssh-key --username azureuser/);
        assert.strictEqual(outputs.securityGroupId, "");
        assert.strictEqual(outputs.autoScalingGroupName, "");
        assert.strictEqual(outputs.jumpBoxId, "");
    });

    describe("with a jump box", () => {
        let withJumpBox: Plan;
        before(async () => {
            withJumpBox = await planSnippet(() => new BastionHost("bastion", args({
                jumpBox: true, jumpBoxSecurityGroupId: ASG, sshPublicKey: KEY, sshAllowedCidrs: ["192.168.10.0/24"], size: "medium",
            })));
        });

        it("runs a zonal Trusted Launch VM in the app subnet without a public IP", () => {
            const vm = named(withJumpBox, VM, "bastion-jump");
            assert.deepStrictEqual(vm.inputs.zones, ["1"]);
            assert.deepStrictEqual((vm.inputs.hardwareProfile as { vmSize: string }).vmSize, "Standard_B2as_v2");
            assert.deepStrictEqual((vm.inputs.securityProfile as { securityType: string }).securityType, "TrustedLaunch");
            const nic = named(withJumpBox, "azure-native:network:NetworkInterface", "bastion-jump-nic");
            const [ipConfig] = nic.inputs.ipConfigurations as Record<string, unknown>[];
            assert.deepStrictEqual(ipConfig.subnet, { id: APP_SUBNET });
            assert.strictEqual(ipConfig.publicIPAddress, undefined);
            assert.deepStrictEqual(ipConfig.applicationSecurityGroups, [{ id: ASG }], "joins the group the app subnet's NSG admits sshAllowedCidrs to");
            assert.deepStrictEqual((vm.inputs.networkProfile as { networkInterfaces: { id: string }[] }).networkInterfaces[0].id, nic.id);
        });

        it("allows SSH key login only, for azureuser", () => {
            const osProfile = named(withJumpBox, VM, "bastion-jump").inputs.osProfile as Record<string, any>;
            assert.strictEqual(osProfile.adminPassword, undefined);
            assert.strictEqual(osProfile.linuxConfiguration.disablePasswordAuthentication, true);
            assert.deepStrictEqual(osProfile.linuxConfiguration.ssh.publicKeys, [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: KEY }]);
        });

        it("admits SSH at the NIC only from AzureBastionSubnet (not the whole network) and the given ranges, and denies everything else", () => {
            const rules = named(withJumpBox, NSG, "bastion-jump-nsg").inputs.securityRules as Record<string, unknown>[];
            assert.deepStrictEqual(rules.map((r) => [r.name, r.access, r.destinationPortRange, r.sourceAddressPrefixes ?? r.sourceAddressPrefix]), [
                ["AllowSshFromBastion", "Allow", "22", "10.30.240.0/26"],
                ["AllowSshFromAllowedRanges", "Allow", "22", "192.168.10.0/24"],
                ["DenyAllInbound", "Deny", "*", "*"],
            ]);
        });

        it("points the connection hint at the jump box", () => {
            const outputs = named(withJumpBox, "intergalactic:index:BastionHost", "bastion").outputs;
            assert.strictEqual(outputs.jumpBoxId, named(withJumpBox, VM, "bastion-jump").id);
            assert.ok(String(outputs.connectionHint).includes(`--target-resource-id ${outputs.jumpBoxId}`));
        });
    });

    it("builds a regional Bastion without zones when asked to", async () => {
        const regional = await planSnippet(() => new BastionHost("bastion", args({ zones: [], location: "germanywestcentral" })));
        assert.strictEqual(named(regional, IP, "bastion-ip").inputs.zones, undefined);
        assert.strictEqual(named(regional, BASTION, "bastion-bastion").inputs.zones, undefined);
    });

    it("registers nothing but the stack for bad input", async () => {
        let error: unknown;
        const rejected = await planSnippet(() => {
            try {
                new BastionHost("bastion", args({ subnets: selectSubnets(NETWORK, { tier: "app", zones: ["1"] }), jumpBox: true, sshAllowedCidrs: ["::/0"] }));
            } catch (err) {
                error = err;
            }
        });
        assert.ok(error instanceof InvalidArgumentsError);
        for (const arg of ["subnets[0]", "subnets[0].id", "sshPublicKey", "sshAllowedCidrs[0]"]) {
            assert.ok(error.message.includes(`\n - ${arg}: `), `${arg} missing from:\n${error.message}`);
        }
        assert.deepStrictEqual(rejected.resources.map((r) => r.type), ["pulumi:pulumi:Stack"]);
    });
});
