package org.allocator4j.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import net.jqwik.api.lifecycle.AddLifecycleHook;

/** Marks a property of the contract whose tries follow the {@link TestLevel} (see {@link DeepTries}). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@AddLifecycleHook(DeepTries.class)
@interface LevelTries {
}
