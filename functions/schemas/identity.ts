/** The identity rules live in the contract module, shared with the checkpoint page. */
export * from '../../contract/identity.js';
