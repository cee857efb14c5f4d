/**
 * The guest's network frontend (netfront) and the frame API workloads use:
 * {@link org.coopvm.guest.net.NetFrontend} (send a frame, receive frames on vCPU 0 through a
 * {@link org.coopvm.guest.net.FrameHandler}), started for every vif by the {@code net} guest driver.
 */
package org.coopvm.guest.net;
