/** The address-space judgement of allow rules, shared with the components' config checks (see `SHARED_MODULES`). */
export * from "../../../components/network/exposure";
