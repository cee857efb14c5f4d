/**
 * The balloon policy SPI ({@link org.coopvm.balloon.policy.BalloonPolicy}, found through
 * {@link org.coopvm.balloon.policy.BalloonPolicyFactory} by {@link java.util.ServiceLoader}), its
 * input model ({@link org.coopvm.balloon.policy.BalloonSnapshot}: the host pool and every
 * domain's figures and stats history), its output ({@link org.coopvm.balloon.policy.BalloonDecision}
 * with a typed {@link org.coopvm.balloon.policy.DecisionReason}), typed parameters, and the shipped
 * policies: static, proportional-share (ESX), mom (oVirt MoM), selfballoon (Linux) and cooperative.
 */
package org.coopvm.balloon.policy;
