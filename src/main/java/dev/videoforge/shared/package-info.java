/**
 * Shared kernel: the error contract of API.md, role gating and the data directory setting.
 */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package dev.videoforge.shared;
