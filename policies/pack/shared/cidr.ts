/** IPv4 CIDR arithmetic, shared with the components (see `SHARED_MODULES`); `exposure` imports it. */
export * from "../../../components/network/cidr";
