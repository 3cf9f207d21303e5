/**
 * Classes that break the module rules on purpose, so that {@link io.herald.dist.ModuleDependencyRulesTest} can show
 * each kind of rule fails when it should. They are test classes, outside the import of the real modules.
 */
package io.herald.dist.archfixture;
